package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REQUIRETLS (RFC 8689) end to end: Python's smtplib asks for it on a real server process (refused in clear text,
 * taken under STARTTLS); Petrel relays the tagged message through a private dnsmasq to Python's aiosmtpd, which
 * offers STARTTLS with a certificate the server trusts and REQUIRETLS after it, or not; a message the peer cannot
 * take under REQUIRETLS (no REQUIRETLS offered, a certificate that does not name it) comes back to its sender as a
 * 5.7.30 notice with the headers only; "TLS-Required: No" gets a message through to a peer whose certificate does
 * not verify, under a require_tls policy.
 */
class RequireTlsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@rt.e2e.test";
    private static final String PASSWORD = "requiretls-secret";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    private static PetrelHome home;
    private static ServerProcess server;
    private static Dnsmasq dns;
    private static AiosmtpdSink sink;
    private static Path sinkDir;

    @BeforeAll
    static void start() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        home.petrelOk(null, "domain", "add", "rt.e2e.test", "--local");
        home.addUser(USER, PASSWORD);
        // sink.test and lacking.test have no MX: their host is named as the domain (an implicit MX), each its own
        // site (so no connection of one is reused for the other); plain.test's MX names another host
        dns = new Dnsmasq("ready.rt.e2e.test", List.of("--local=/rt.e2e.test/", "--local=/sink.test/",
                "--local=/lacking.test/", "--local=/untrusted.test/", "--local=/plain.test/",
                "--host-record=ready.rt.e2e.test,127.0.0.1", "--host-record=sink.test,127.0.0.2",
                "--host-record=lacking.test,127.0.0.2", "--host-record=untrusted.test,127.0.0.2",
                "--local=/down.test/", "--host-record=down.test,127.0.0.9",
                "--mx-host=plain.test,mx.plain.test,10", "--host-record=mx.plain.test,127.0.0.2"));
        sinkDir = scratch.newFolder("sink");
        Path cert = sinkDir.resolve("cert.pem");
        makeCertificate(cert, sinkDir.resolve("key.pem"), "sink.test", "lacking.test");
        sink = AiosmtpdSink.start("requiretls_sink.py", sinkDir, cert.toString(),
                sinkDir.resolve("key.pem").toString());
        home.deliverThrough(dns.address(), sink.port,
                "\nrequire_tls = [\"sink.test\", \"lacking.test\", \"untrusted.test\", \"down.test\", \"plain.test\"]", "");
        Path trust = trustStore(cert);
        server = ServerProcess.start(home, List.of("-Djavax.net.ssl.trustStore=" + trust,
                "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12"));
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
    void requireTlsIsRefusedInClearTextAndOfferedAndTakenUnderStarttls() throws Exception {
        JsonNode clear = send("mx", "none", false, USER, message("clear", ""));
        assertFalse(clear.path("features").has("requiretls"), clear.toString());
        assertEquals(530, clear.path("mail").get(0).asInt(), clear.toString());
        assertTrue(clear.path("mail").get(1).asText().startsWith("5.7.10 "), clear.toString());
        JsonNode tls = send("mx", "starttls", false, USER, message("under TLS", ""));
        assertTrue(tls.path("features_after_tls").has("requiretls"), tls.toString());
        assertEquals(250, tls.path("data").get(0).asInt(), tls.toString());
    }

    @Test
    void aTaggedMessageIsRelayedWithRequireTlsToAPeerThatOffersIt() throws Exception {
        JsonNode r = send("submission", "starttls", true, "bob@sink.test", message("relayed sealed", "sealed body"));
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
        Path got = Poll.until(ARRIVAL, "the message at the sink", () -> arrivedWith(sinkDir, "relayed sealed"));
        assertTrue(Files.readString(got).contains("sealed body"));
        assertTrue(mailLog().stream().anyMatch(l -> l.startsWith("MAIL <" + USER + ">") && l.contains(" REQUIRETLS")
                && l.endsWith("tls=yes")), "REQUIRETLS on MAIL, under TLS: " + mailLog());
    }

    @Test
    void aPeerWithoutRequireTlsGetsNothingAndTheSenderGetsA5730NoticeWithTheHeadersOnly() throws Exception {
        Path off = Files.writeString(sinkDir.resolve("no-requiretls"), "");
        try {
            JsonNode r = send("submission", "starttls", true, "carol@lacking.test",
                    message("bounced sealed", "the secret body"));
            assertEquals(250, r.path("data").get(0).asInt(), r.toString());
            String text = notice("bounced sealed");
            assertTrue(text.contains("REQUIRETLS support required: the server does not offer REQUIRETLS"), text);
            assertFalse(text.contains("the secret body"), text);
            assertTrue(mailLog().stream().noneMatch(l -> l.contains("carol")), mailLog().toString());
            assertTrue(arrivedWith(sinkDir, "bounced sealed") == null, "the peer got nothing");
        } finally {
            Files.delete(off);
        }
    }

    @Test
    void aPeerWhoseCertificateDoesNotNameItGetsNothingAndTheSenderGetsA5730Notice() throws Exception {
        // untrusted.test is its own MX host (an implicit MX), whose certificate names sink.test and lacking.test
        JsonNode r = send("submission", "starttls", true, "erin@untrusted.test",
                message("unauthenticated sealed", "another secret body"));
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
        String text = notice("unauthenticated sealed");
        assertTrue(text.contains("the certificate was not authenticated"), text);
        assertFalse(text.contains("another secret body"), text);
        assertTrue(mailLog().stream().noneMatch(l -> l.contains("erin")), mailLog().toString());
    }

    @Test
    void aTaggedMessageToAHostThatDoesNotAnswerWaitsInTheQueueStillTagged() throws Exception {
        // down.test's host (127.0.0.9) takes no connection: a temporary failure, not a reason to return the message
        JsonNode r = send("submission", "starttls", true, "frank@down.test", message("waiting sealed", "x"));
        String id = Queued.idIn("250 " + r.path("data").get(1).asText());
        Programs.Result show = Poll.until(ARRIVAL, "a failed attempt of " + id, () -> {
            Programs.Result shown = home.petrelOk(null, "queue", "show", id);
            return shown.stdout().contains("last error: ") ? shown : null;
        });
        assertTrue(show.stdout().contains("\nrequiretls: yes\n"), show.describe());
        assertTrue(show.stdout().contains("4.4.1"), show.describe());
        home.petrelOk(null, "queue", "delete", id);
    }

    // the failure notice in the sender's Maildir: 5.7.30, and as if RET=HDRS (RFC 8689 5)
    private static String notice(String subject) throws Exception {
        Path maildir = home.dataDir().resolve("mail/rt.e2e.test/alice/new");
        Path notice = Poll.until(ARRIVAL, "the notice in " + maildir, () -> arrivedWith(maildir, subject));
        // unfolded (RFC 5322 2.2.3), as the Diagnostic-Code field's words may be split over lines
        String text = Files.readString(notice, StandardCharsets.ISO_8859_1).replaceAll("\r?\n[ \t]+", " ");
        assertTrue(text.contains("Status: 5.7.30"), text);
        assertTrue(text.contains("text/rfc822-headers"), text);
        return text;
    }

    @Test
    void tlsRequiredNoGetsAMessageToAPeerWhoseCertificateDoesNotVerify() throws Exception {
        // plain.test is under require_tls, and its MX host mx.plain.test shows a certificate for sink.test
        JsonNode r = send("submission", "starttls", true, "dave@plain.test",
                ("TLS-Required: No\r\n" + new String(message("not required", "x"), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII), false);
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
        Path got = Poll.until(ARRIVAL, "the message at the sink", () -> arrivedWith(sinkDir, "not required"));
        assertTrue(Files.readString(got).contains("TLS-Required: No"), "the header field stays in the message");
        assertTrue(mailLog().stream().anyMatch(l -> l.startsWith("MAIL <" + USER + ">") && !l.contains("REQUIRETLS")
                && l.endsWith("tls=yes")), "still over TLS: " + mailLog());
    }

    private static JsonNode send(String listener, String tls, boolean auth, String rcpt, byte[] message)
            throws Exception {
        return send(listener, tls, auth, rcpt, message, true);
    }

    private static JsonNode send(String listener, String tls, boolean auth, String rcpt, byte[] message,
                                 boolean requireTls) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        List<String> args = new ArrayList<>(List.of("send", "--port", String.valueOf(server.port(listener)), "--tls",
                tls, "--sender", USER, "--rcpt", rcpt, "--message", file.toString()));
        if (auth) {
            args.addAll(List.of("--auth", "plain", "--user", USER, "--password", PASSWORD));
        }
        if (requireTls) {
            args.addAll(List.of("--mail-option", "REQUIRETLS"));
        }
        return Smtplib.run(home.dir(), args.toArray(String[]::new));
    }

    private static byte[] message(String subject, String body) {
        return ("From: <" + USER + ">\r\nTo: <someone@sink.test>\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> mailLog() throws Exception {
        Path log = sinkDir.resolve("mail.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    // a file of the folder whose text has that subject; null while none has
    private static Path arrivedWith(Path folder, String subject) throws Exception {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".eml") || f.getParent().endsWith("new")).toList()) {
                if (Files.isRegularFile(p)
                        && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(subject)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static void makeCertificate(Path cert, Path key, String name, String other) throws Exception {
        String openssl = Programs.require("openssl", "openssl");
        Programs.Result r = Programs.run(sinkDir, "openssl req " + name, List.of(openssl, "req", "-x509", "-newkey",
                "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=DNS:" + name + ",DNS:" + other, "-keyout", key.toString(),
                "-out", cert.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
    }

    // the server process trusts the sink's certificate, as the JDK's trust store trusts a public CA's
    private static Path trustStore(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("sink", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = home.dir().resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return file;
    }
}
