package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18, long lines: a message with a body line of 5,000 or 100,000 octets, submitted with Python's smtplib,
 * is relayed by Petrel to a real server that enforces RFC 5321 4.5.3.1.6 (Python's aiosmtpd on 127.0.0.2, found
 * through a private dnsmasq's MX record), which accepts it; dkimpy passes both of Petrel's signatures on what
 * that server received; Python's email package decodes the body back to the line sent. The copy delivered to a
 * local Maildir has no line over 998 octets either (RFC 5322 2.1.1).
 */
class LongLinesTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "mailbox-secret";
    private static final String LOCAL = "carol@maildir.e2e.test";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final Pattern ZONE_LINE = Pattern.compile("^(\\S+)\\. IN TXT ((?:\"[^\"]*\" ?)+)$", Pattern.MULTILINE);
    private static final String PYTHON = "/usr/bin/python3";

    private static PetrelHome home;
    private static ServerProcess server;
    private static Dnsmasq dns;
    private static AiosmtpdSink sink;
    private static Path sinkDir;

    @BeforeAll
    static void start() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        home.addUser(USER, PASSWORD);
        home.petrelOk(null, "domain", "add", "maildir.e2e.test", "--local");
        home.addUser(LOCAL, PASSWORD);
        Map<String, String> records = new LinkedHashMap<>();
        published(records, home.petrelOk(null, "dkim", "keygen", "localhost", "--selector", "rsa1"));
        published(records, home.petrelOk(null, "dkim", "keygen", "localhost", "--algorithm", "ed25519", "--selector", "ed1"));
        List<String> dnsArgs = new ArrayList<>(List.of("--local=/localhost/", "--local=/sink.test/",
                "--host-record=ready.localhost,127.0.0.1", "--mx-host=sink.test,mx.sink.test,10",
                "--host-record=mx.sink.test,127.0.0.2"));
        records.forEach((name, text) -> dnsArgs.add("--txt-record=" + name + "," + String.join(",", chunks(text))));
        dns = new Dnsmasq("ready.localhost", dnsArgs);
        int sinkPort = startSink();
        // this server's mail for other domains goes to the sink, through the dnsmasq
        home.deliverThrough(dns.address(), sinkPort, "", "");
        server = home.start();
    }

    private static int startSink() throws Exception {
        sinkDir = scratch.newFolder("sink");
        sink = AiosmtpdSink.start(sinkDir);
        return sink.port;
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

    @ParameterizedTest(name = "a {0}-octet line")
    @ValueSource(ints = {5_000, 100_000})
    void aLongLineIsReencodedSoThatAStrictServerAcceptsItAndTheSignaturePasses(int length) throws Exception {
        String line = line(length);
        String body = "Hello Bob,\r\n" + line + "\r\n-- \r\nAlice\r\n";
        byte[] message = ("From: Alice <" + USER + ">\r\nTo: <bob@sink.test>\r\nSubject: a line of " + length
                + " octets\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        submit(message, "bob@sink.test");
        Path received = Poll.until(ARRIVAL, "the message at the sink", () -> {
            assertEquals("none", refusals(), "the sink refused what Petrel sent");
            return arrivedWith(sinkDir, "a line of " + length + " octets");
        });
        byte[] got = Files.readAllBytes(received);
        assertNoLineOver998(got);
        assertEquals(List.of("pass", "pass"), dkimpy(got));
        assertEquals(lf(body), decodedBody(received));
    }

    @ParameterizedTest(name = "a {0}-octet line")
    @ValueSource(ints = {5_000, 100_000})
    void aLongLineDeliveredToAMaildirIsReencodedToo(int length) throws Exception {
        String body = line(length) + "\r\n";
        byte[] message = ("From: <" + USER + ">\r\nTo: <" + LOCAL + ">\r\nSubject: local line of " + length
                + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        submit(message, LOCAL);
        Path maildir = home.dataDir().resolve("mail/maildir.e2e.test/carol/new");
        Path delivered = Poll.until(ARRIVAL, "the message in " + maildir,
                () -> arrivedWith(maildir, "local line of " + length));
        assertNoLineOver998(Files.readAllBytes(delivered));
        assertEquals(lf(body), decodedBody(delivered));
    }

    private static void submit(byte[] message, String rcpt) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        JsonNode r = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("submission")), "--tls",
                "starttls", "--auth", "plain", "--user", USER, "--password", PASSWORD, "--sender", USER,
                "--rcpt", rcpt, "--message", file.toString());
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
    }

    // a file of the folder whose text has that subject; null while none has
    private static Path arrivedWith(Path folder, String subject) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(f -> !f.toString().endsWith(".tmp") && Files.isRegularFile(f)).toList()) {
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(subject)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String refusals() throws IOException {
        Path log = sinkDir.resolve("refusals.log");
        return Files.exists(log) ? Files.readString(log).strip() : "none";
    }

    private static void assertNoLineOver998(byte[] message) {
        int start = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i == message.length || message[i] == '\n') {
                int length = i - start - (i > start && message[i - 1] == '\r' ? 1 : 0);
                assertTrue(length <= 998, "a line of " + length + " octets at offset " + start);
                start = i + 1;
            }
        }
    }

    // Python's email package, and a Maildir, end lines with LF alone
    private static String lf(String text) {
        return text.replace("\r\n", "\n");
    }

    // the body as Python's email package decodes it (Content-Transfer-Encoding undone)
    private static String decodedBody(Path message) throws Exception {
        Programs.Result r = Programs.run(home.dir(), "decode", List.of(PYTHON, "-c",
                "import email, sys; m = email.message_from_binary_file(open(sys.argv[1], 'rb'));"
                        + " sys.stdout.buffer.write(m.get_payload(decode=True))", message.toString()),
                null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout();
    }

    private static List<String> dkimpy(byte[] message) throws Exception {
        Path file = Files.createTempFile(home.dir(), "received-", ".eml");
        Files.write(file, message);
        Path script = Path.of("src/test/resources/mailauth/dkim_verify.py").toAbsolutePath();
        Programs.Result r = Programs.run(home.dir(), "dkimpy", List.of(PYTHON, script.toString(), file.toString(),
                "--dns", dns.address()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout().lines().toList();
    }

    // words of printable ASCII, no white space at the end
    private static String line(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; s.length() < length; i++) {
            s.append("word").append(i).append(i % 11 == 0 ? "=x " : " ");
        }
        return s.substring(0, length - 1) + ".";
    }

    // the record as keygen printed it, its TXT strings joined
    private static void published(Map<String, String> records, Programs.Result keygen) {
        Matcher m = ZONE_LINE.matcher(keygen.stdout());
        assertTrue(m.find(), keygen.describe());
        records.put(m.group(1), String.join("", m.group(2).strip().replaceAll("^\"|\"$", "").split("\" \"")));
    }

    // RFC 1035 3.3.14: at most 255 octets per TXT string
    private static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            out.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return out;
    }
}
