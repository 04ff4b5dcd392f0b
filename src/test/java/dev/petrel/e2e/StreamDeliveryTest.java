package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.dns.Dnsmasq;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery side of streams on a running server, with Python's smtplib sending through API keys of two
 * tenants, a dnsmasq giving dest.test its MX on 127.0.0.2, and an aiosmtpd there noting the address each message
 * came from and the EHLO name it was sent with: each stream's egress, throttles kept per (egress, site), paused
 * streams held back and sent on resume, and sandbox streams that send nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamDeliveryTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final String ANN = "ann@acme.test";
    private static final String BOB = "bob@bravo.test";

    private static PetrelHome home;
    private static ServerProcess server;
    private static Dnsmasq dns;
    private static AiosmtpdSink sink;
    private static String acmeKey;
    private static String bravoKey;

    @BeforeAll
    static void setUp() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        dns = new Dnsmasq("ready.localhost", List.of("--local=/localhost/", "--local=/dest.test/",
                "--host-record=ready.localhost,127.0.0.1", "--mx-host=dest.test,mx.dest.test,10",
                "--host-record=mx.dest.test,127.0.0.2"));
        sink = AiosmtpdSink.start(scratch.newFolder("sink"), "127.0.0.4");
        // the bulk pool's address is throttled by the sink; its site stays backed off long after that
        home.deliverThrough(dns.address(), sink.port, "\nsite_backoff = \"30m\"\nfirst_retry = \"30m\""
                + "\nmax_retry = \"60m\"\nstream_refresh = \"1s\"", """

                [[delivery.egress]]
                name = "transactional"
                sources = ["127.0.0.3"]
                ehlo = "out.acme.test"

                [[delivery.egress]]
                name = "bulk"
                sources = ["127.0.0.4"]
                ehlo = "news.bravo.test"
                """);
        for (String[] t : List.of(new String[] {"acme", ANN}, new String[] {"bravo", BOB})) {
            home.petrelOk(null, "tenant", "add", t[0]);
            home.petrelOk(null, "domain", "add", t[1].substring(t[1].indexOf('@') + 1), "--tenant", t[0]);
        }
        home.petrelOk(null, "stream", "add", "acme", "receipts", "--kind", "transactional", "--egress",
                "transactional");
        home.petrelOk(null, "stream", "add", "acme", "invoices", "--kind", "transactional", "--egress",
                "transactional");
        home.petrelOk(null, "stream", "add", "acme", "alerts", "--kind", "transactional", "--source", "127.0.0.5",
                "--ehlo", "alerts.acme.test");
        home.petrelOk(null, "stream", "add", "bravo", "news", "--kind", "broadcast", "--egress", "bulk");
        // broadcast mail needs its sender identified and consent on record (CASL)
        home.petrelOk(null, "tenant", "set", "bravo", "--identification", "Bravo Ltd, 2 Side St, www.bravo.test");
        home.petrelOk(null, "consent", "add", "bravo", "reader@dest.test", "--kind", "express", "--at", "2026-01-01");
        home.petrelOk(null, "stream", "add", "bravo", "tests", "--kind", "transactional", "--egress", "bulk");
        acmeKey = home.petrelOk(null, "key", "create", "acme").stdout().strip();
        bravoKey = home.petrelOk(null, "key", "create", "bravo").stdout().strip();
        server = home.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    @Order(1)
    void eachStreamLeavesFromItsEgressAndAThrottledEgressDoesNotSlowAnother() throws Exception {
        String news = send(bravoKey, BOB, "news", "reader@dest.test");
        // the sink throttles the bulk pool's address: its site is backed off for that egress alone
        sinkSays("refused 127.0.0.4 news.bravo.test");
        String deferred = event(news, "message.deferred").path("reply").asText();
        assertTrue(deferred.startsWith("421 4.7.0 Too much mail from your address"), deferred);
        String receipt = send(acmeKey, ANN, "receipts", "buyer@dest.test");
        sinkSays("accepted 127.0.0.3 out.acme.test buyer@dest.test");
        JsonNode delivered = event(receipt, "message.delivered");
        assertEquals("acme", delivered.path("tenant").asText(), delivered.toString());
        assertEquals("receipts", delivered.path("stream").asText(), delivered.toString());
        send(acmeKey, ANN, "alerts", "oncall@dest.test");
        sinkSays("accepted 127.0.0.5 alerts.acme.test oncall@dest.test");
        assertEquals(1, sink.peers().stream().filter(l -> l.startsWith("refused")).count(),
                "the bulk egress was tried once, and is backed off: " + sink.peers());
    }

    @Test
    @Order(2)
    void aPausedStreamsMailIsAcceptedHeldBackAndSentOnResumeWithoutARestart() throws Exception {
        // invoices has sent nothing yet: the server learns of it, paused, at its first message
        home.petrelOk(null, "stream", "pause", "acme", "invoices");
        String first = send(acmeKey, ANN, "invoices", "first@dest.test");
        String second = send(acmeKey, ANN, "invoices", "second@dest.test");
        Poll.until(ARRIVAL, "two parked", () -> parked() == 2 ? true : null);
        assertFalse(sink.peers().toString().contains("first@dest.test"), "sent while paused");
        String queued = home.petrelOk(null, "queue", "list").stdout();
        assertTrue(queued.contains(first) && queued.contains(second), "still queued: " + queued);
        home.petrelOk(null, "stream", "resume", "acme", "invoices");
        sinkSays("accepted 127.0.0.3 out.acme.test first@dest.test");
        sinkSays("accepted 127.0.0.3 out.acme.test second@dest.test");
        assertEquals("invoices", event(second, "message.delivered").path("stream").asText());
        Poll.until(ARRIVAL, "none parked", () -> parked() == 0 ? true : null);
    }

    @Test
    @Order(3)
    void aSandboxStreamsMailIsReportedDeliveredAndNothingLeaves() throws Exception {
        Programs.Result set = home.petrelOk(null, "stream", "set", "bravo", "tests", "--sandbox", "true");
        assertEquals("stream tests of tenant bravo in the sandbox\n", set.stdout());
        assertTrue(home.petrelOk(null, "stream", "list", "bravo").stdout().contains("tests transactional sandbox"));
        String id = send(bravoKey, BOB, "tests", "customer@dest.test");
        JsonNode delivered = event(id, "message.delivered");
        assertEquals("250 2.0.0 sandbox: not sent", delivered.path("reply").asText(), delivered.toString());
        assertEquals("bravo", delivered.path("tenant").asText());
        assertEquals("tests", delivered.path("stream").asText());
        assertFalse(home.petrelOk(null, "queue", "list").stdout().contains(id), "the message is done");
        assertFalse(sink.peers().toString().contains("customer@dest.test"), "nothing left the machine");
        Programs.Result bad = home.petrel(null, "stream", "set", "bravo", "tests", "--sandbox", "maybe");
        assertEquals(1, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().contains("Invalid value for option '--sandbox': 'maybe' is not a boolean"),
                bad.describe());
        Programs.Result none = home.petrel(null, "stream", "set", "bravo", "nope", "--sandbox", "false");
        assertEquals(1, none.exitCode(), none.describe());
        assertTrue(none.stderr().contains("tenant bravo has no stream nope"), none.describe());
    }

    @Test
    @Order(4)
    void streamsNamingAnUnknownPoolOrAForeignAddressAreRefused() throws Exception {
        Programs.Result unknown = home.petrel(null, "stream", "add", "acme", "promo", "--kind", "broadcast",
                "--egress", "nope");
        assertEquals(1, unknown.exitCode(), unknown.describe());
        assertTrue(unknown.stderr().contains("no egress pool nope in the configuration"), unknown.describe());
        Programs.Result both = home.petrel(null, "stream", "add", "acme", "promo", "--kind", "broadcast",
                "--egress", "bulk", "--ehlo", "x.acme.test");
        assertEquals(1, both.exitCode(), both.describe());
        assertTrue(both.stderr().contains("from an egress pool or from its own source address and EHLO name, not both"),
                both.describe());
        assertTrue(home.petrelOk(null, "check-config").stdout().contains("name = \"bulk\""));
        // the configuration loses the bulk pool that two of bravo's streams send from
        Path edited = home.dir().resolve("without-bulk.toml");
        String text = Files.readString(home.config());
        Files.writeString(edited, text.substring(0, text.indexOf("[[delivery.egress]]\nname = \"bulk\"")));
        Programs.Result gone = Programs.run(home.dir(), "check-config", Programs.petrelCli(List.of("check-config",
                "--config", edited.toString())), null, Programs.CLIENT_TIMEOUT);
        assertEquals(1, gone.exitCode(), gone.describe());
        assertTrue(gone.stderr().contains("stream news of tenant bravo sends from egress pool bulk, which"
                + " [[delivery.egress]] does not configure"), gone.describe());
        // and a pool whose address this machine does not have (TEST-NET-1, RFC 5737)
        Files.writeString(edited, text.replace("sources = [\"127.0.0.4\"]", "sources = [\"192.0.2.77\"]"));
        Programs.Result foreign = Programs.run(home.dir(), "check-config", Programs.petrelCli(List.of(
                "check-config", "--config", edited.toString())), null, Programs.CLIENT_TIMEOUT);
        assertEquals(1, foreign.exitCode(), foreign.describe());
        int line = text.lines().toList().indexOf("sources = [\"127.0.0.4\"]") + 1;
        assertTrue(foreign.stderr().contains("line " + line + ": [[delivery.egress]] sources: this machine has no"
                + " address 192.0.2.77"), foreign.describe());
    }

    // sends one message through the submission port with the key, on the stream; its queue id
    private static String send(String key, String from, String stream, String rcpt) throws Exception {
        byte[] message = ("From: <" + from + ">\r\nTo: <" + rcpt + ">\r\nSubject: on " + stream
                + "\r\nX-Petrel-Stream: " + stream + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        JsonNode r = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("submission")), "--tls",
                "starttls", "--auth", "plain", "--user", "apikey", "--password", key, "--sender", from, "--rcpt",
                rcpt, "--message", file.toString());
        assertEquals(250, r.path("data").get(0).asInt(), "end of DATA: " + r);
        return Queued.idIn("250 " + r.path("data").get(1).asText());
    }

    private static void sinkSays(String line) throws Exception {
        Poll.until(ARRIVAL, "\"" + line + "\" in the sink's log", () -> sink.peers().stream()
                .anyMatch(l -> l.equals(line) || l.startsWith(line + " ")) ? true : null);
    }

    private static JsonNode event(String id, String type) throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Poll.until(ARRIVAL, type + " of " + id, () -> {
            for (String line : home.petrelOk(null, "events").stdout().lines().toList()) {
                JsonNode e = json.readTree(line);
                if (e.path("message_id").asText().equals(id) && e.path("type").asText().equals(type)) {
                    return e;
                }
            }
            return null;
        });
    }

    // petrel_delivery_parked_messages from /metrics
    private static double parked() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port("http") + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Optional<String> line = r.body().lines().filter(l -> l.startsWith("petrel_delivery_parked_messages ")).findFirst();
        return Double.parseDouble(line.orElseThrow(() -> new AssertionError(r.body())).split(" ")[1]);
    }
}
