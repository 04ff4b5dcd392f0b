package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.queue.StoredMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Petrel's mx listener behind Debian's HAProxy with the PROXY protocol, versions 1 ({@code send-proxy}) and 2
 * ({@code send-proxy-v2}): Python's smtplib connects to HAProxy from 127.0.0.9 or 127.0.0.10, HAProxy to Petrel
 * from 127.0.0.1, and the relay networks, the Received header and the log see the client, not HAProxy. A
 * connection from an address outside trusted_proxies, one without a header and one that speaks SMTP first are
 * dropped before any reply, with a log line saying why.
 */
class ProxyProtocolTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String CLIENT = "127.0.0.9";
    private static final String OTHER_CLIENT = "127.0.0.10";
    private static final String UNTRUSTED_PROXY = "127.0.0.7";
    private static final Pattern QUEUED = Pattern.compile("queued as (\\S+)");

    private static PetrelHome home;
    private static ServerProcess server;
    private static Haproxy haproxy;

    @BeforeAll
    static void start() throws Exception {
        Programs.require("python3", "python3");
        home = PetrelHome.create(scratch.newFolder("home"));
        String config = Files.readString(home.config());
        String proxied = """
                proxy_protocol = true
                trusted_proxies = ["127.0.0.1"]
                proxy_timeout = "2s"
                """;
        Files.writeString(home.config(), config.replace("role = \"mx\"\n", "role = \"mx\"\n" + proxied)
                .replace("role = \"submissions\"\n", "role = \"submissions\"\n" + proxied)
                + "\n[limits]\nconnections_per_client = 1\nauth_failures = 1\n\n[policy]\nrelay_networks = [\""
                + CLIENT + "/32\"]\n");
        home.addUser(USER, "correct horse battery staple");
        server = home.start();
        int mx = server.port("mx");
        haproxy = Haproxy.start(scratch.newFolder("haproxy"), Map.of("v1", mx + " send-proxy", "v2", mx + " send-proxy-v2",
                "untrusted", mx + " send-proxy-v2 source " + UNTRUSTED_PROXY,
                "tls", server.port("submissions") + " send-proxy"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode send(String frontend, String source, String recipient, String subject) throws Exception {
        return send(haproxy.port(frontend), source, recipient, subject);
    }

    private static JsonNode send(int port, String source, String recipient, String subject) throws Exception {
        Path dir = scratch.newFolder("client");
        Path message = Files.writeString(dir.resolve("message.eml"), "From: <bob@remote.test>\r\nTo: <" + recipient
                + ">\r\nSubject: " + subject + "\r\n\r\nthrough HAProxy\r\n");
        Programs.Result r = Programs.run(dir, "proxied client", List.of(Programs.require("python3", "python3"),
                Programs.resource("proxied_client.py").toString(), "127.0.0.1", String.valueOf(port), source,
                "bob@remote.test", recipient, message.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return new ObjectMapper().readTree(r.stdout());
    }

    private static StoredMessage queued(JsonNode r) throws IOException {
        assertTrue(r.has("data"), "no DATA: " + r);
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
        Matcher m = QUEUED.matcher(r.path("data").get(1).asText());
        assertTrue(m.find(), r.toString());
        return home.readPresent(m.group(1));
    }

    private static String logged(String what) throws Exception {
        return Poll.until(Duration.ofSeconds(10), what + " in the server's log", () -> server.log().lines()
                .filter(l -> l.contains(what)).findFirst().orElse(null));
    }

    private static long count(String what) throws IOException {
        return server.log().lines().filter(l -> l.contains(what)).count();
    }

    @Test
    void theReceivedHeaderAndTheLogNameTheClientBehindProxyProtocolVersion1() throws Exception {
        StoredMessage m = queued(send("v1", CLIENT, USER, "version 1"));
        String content = new String(m.content(), StandardCharsets.ISO_8859_1);
        assertTrue(content.contains("Received: from python.e2e.test ([" + CLIENT + "])"), content);
        assertTrue(logged("queued id=" + m.message().id()).contains(" client=" + CLIENT), server.log());
    }

    @Test
    void theReceivedHeaderAndTheLogNameTheClientBehindProxyProtocolVersion2() throws Exception {
        StoredMessage m = queued(send("v2", CLIENT, USER, "version 2"));
        String content = new String(m.content(), StandardCharsets.ISO_8859_1);
        assertTrue(content.contains("Received: from python.e2e.test ([" + CLIENT + "])"), content);
        assertFalse(content.contains("[127.0.0.1]"), "HAProxy's address in the message: " + content);
        assertTrue(logged("queued id=" + m.message().id()).contains(" client=" + CLIENT), server.log());
    }

    @Test
    void theRelayNetworksJudgeTheClientNotTheProxy() throws Exception {
        // 127.0.0.9 is in relay_networks, 127.0.0.10 is not, and HAProxy (127.0.0.1) is not either
        queued(send("v2", CLIENT, "carol@elsewhere.test", "relayed"));
        JsonNode refused = send("v1", OTHER_CLIENT, "carol@elsewhere.test", "not relayed");
        assertEquals(554, refused.path("rcpt").get(0).asInt(), refused.toString());
        assertTrue(logged("rejected client=" + OTHER_CLIENT + " stage=rcpt").contains("to=<carol@elsewhere.test>"));
    }

    @Test
    void theConnectionLimitPerClientCountsEachClientBehindTheProxy() throws Exception {
        // connections_per_client = 1: one each for 127.0.0.11 and 127.0.0.12, though HAProxy is one address
        try (Socket first = new Socket(); Socket second = new Socket(); Socket third = new Socket()) {
            assertTrue(greeting(first, "v2", "127.0.0.11").startsWith("220 "));
            assertTrue(greeting(second, "v1", "127.0.0.12").startsWith("220 "));
            String refused = greeting(third, "v2", "127.0.0.11");
            assertTrue(refused.startsWith("421 4.7.0 Too many connections from your address"), refused);
        }
    }

    // the first line the server sends to a connection through HAProxy's frontend from the source address
    private static String greeting(Socket s, String frontend, String source) throws IOException {
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), haproxy.port(frontend)), 5000);
        s.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    @Test
    void theAuthFailureLimitCountsEachClientBehindTheProxyOnAnImplicitTlsListener() throws Exception {
        // auth_failures = 1: 127.0.0.13's failure shuts 127.0.0.13 out, not HAProxy and not 127.0.0.14; the header
        // comes before the TLS handshake
        JsonNode failed = login("127.0.0.13");
        assertEquals(535, failed.path("auth_error").path("code").asInt(), failed.toString());
        assertTrue(failed.path("tls_version").asText().startsWith("TLSv1."), failed.toString());
        JsonNode shut = login("127.0.0.13");
        assertEquals(421, shut.path("connect_error").get(0).asInt(), shut.toString());
        JsonNode other = login("127.0.0.14");
        assertEquals(535, other.path("auth_error").path("code").asInt(), other.toString());
        logged("rejected client=127.0.0.13 stage=connect");
    }

    private static JsonNode login(String source) throws Exception {
        Path dir = scratch.newFolder("login");
        Path message = Files.writeString(dir.resolve("message.eml"), "Subject: x\r\n\r\nx\r\n");
        return Smtplib.run(dir, "send", "--host", "127.0.0.1", "--port", String.valueOf(haproxy.port("tls")),
                "--source", source, "--tls", "implicit", "--auth", "plain", "--user", USER, "--password", "wrong",
                "--sender", USER, "--rcpt", USER, "--message", message.toString());
    }

    @Test
    void aProxyOutsideTrustedProxiesIsDroppedBeforeAnyReply() throws Exception {
        String line = "rejected client=" + UNTRUSTED_PROXY + " stage=proxy reply=\"dropped: not a trusted proxy\"";
        long before = count(line);
        JsonNode r = send("untrusted", CLIENT, USER, "untrusted proxy");
        assertTrue(r.has("disconnected") && !r.has("greeting"), "not dropped before the greeting: " + r);
        Poll.until(Duration.ofSeconds(10), "one more '" + line + "'", () -> count(line) > before ? true : null);
    }

    @Test
    void aConnectionWithoutHeaderIsDroppedAfterTheProxyTimeout() throws Exception {
        // smtplib straight to Petrel from a trusted address: it waits for a greeting, Petrel for a header
        long started = System.nanoTime();
        JsonNode r = send(server.port("mx"), "127.0.0.1", USER, "no header");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(r.has("disconnected") && !r.has("greeting"), "not dropped before the greeting: " + r);
        assertTrue(waited.compareTo(Duration.ofMillis(1900)) > 0 && waited.compareTo(Duration.ofSeconds(15)) < 0,
                "dropped after " + waited + ", proxy_timeout is 2s");
        logged("rejected client=127.0.0.1 stage=proxy reply=\"dropped: no PROXY protocol header within 2s\"");
    }

    @Test
    void aClientThatSpeaksSmtpFirstIsDroppedAtOnce() throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port("mx")), 5000);
            // well under proxy_timeout: a refusal at the first octet, not a timeout
            s.setSoTimeout(1500);
            s.getOutputStream().write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            int answer;
            try {
                answer = in.read();
            } catch (SocketException reset) {
                // closed with the rest of the line unread: a reset rather than an end of stream, dropped all the same
                answer = -1;
            }
            assertEquals(-1, answer, "the server answered a connection without a PROXY header");
        }
        logged("rejected client=127.0.0.1 stage=proxy reply=\"dropped: no PROXY protocol header\"");
    }
}
