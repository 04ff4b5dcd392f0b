package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.delivery.remote.TestCertificate;
import dev.petrel.dns.Dnsmasq;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS reporting (RFC 8460) on a running server: mail to good.test goes to an aiosmtpd offering STARTTLS, to
 * plain.test to one without it (delivered in cleartext, a starttls-not-supported failure), to quiet.test to the
 * first again; a dnsmasq publishes _smtp._tls records for good.test (mailto:) and plain.test (https:) and none for
 * quiet.test. {@code petrel report send --day} then mails good.test's report to a third aiosmtpd and posts
 * plain.test's to an HTTPS server, each parsed by Python (tlsrpt_peers.py); quiet.test gets none, and a second run
 * sends nothing again.
 */
class TlsReportE2eTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PetrelHome home;
    private static ServerProcess server;
    private static Dnsmasq dns;
    private static Process peers;
    private static Path folder;

    @BeforeAll
    static void setUp() throws Exception {
        folder = scratch.newFolder("peers");
        int port = freePort("127.0.0.71", "127.0.0.72", "127.0.0.73");
        int httpsPort = freePort("127.0.0.74");
        KeyStore trust = certificates();
        peers = new ProcessBuilder("/usr/bin/python3", Programs.resource("tlsrpt_peers.py").toString(),
                String.valueOf(port), String.valueOf(httpsPort), folder.toString(),
                folder.resolve("mx.pem").toString(), folder.resolve("mx.key").toString(),
                folder.resolve("https.pem").toString(), folder.resolve("https.key").toString())
                .redirectError(folder.resolve("stderr").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peers.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine(), "tlsrpt_peers.py did not start: "
                + Files.readString(folder.resolve("stderr")));
        dns = new Dnsmasq("ready.tlsrpt.test", List.of("--local=/tlsrpt.test/", "--local=/good.test/",
                "--local=/plain.test/", "--local=/quiet.test/", "--local=/reports.test/",
                "--host-record=ready.tlsrpt.test,127.0.0.1",
                "--mx-host=good.test,mx.good.test,10", "--host-record=mx.good.test,127.0.0.71",
                "--mx-host=plain.test,mx.plain.test,10", "--host-record=mx.plain.test,127.0.0.72",
                "--mx-host=quiet.test,mx.quiet.test,10", "--host-record=mx.quiet.test,127.0.0.71",
                "--mx-host=reports.test,mx.reports.test,10", "--host-record=mx.reports.test,127.0.0.73",
                "--txt-record=_smtp._tls.good.test,v=TLSRPTv1; rua=mailto:tlsrpt@reports.test",
                "--txt-record=_smtp._tls.plain.test,v=TLSRPTv1; rua=https://127.0.0.74:" + httpsPort + "/tlsrpt"));
        home = PetrelHome.create(scratch.newFolder("home"));
        home.deliverThrough(dns.address(), port, "", """

                [reports]
                organization = "Sender Org"
                from = "tlsrpt@sender.test"
                contact = "ops@sender.test"
                tls = true
                """);
        home.petrelOk(null, "dkim", "keygen", "sender.test", "--selector", "r1");
        Path store = folder.resolve("trust.p12");
        try (OutputStream file = Files.newOutputStream(store)) {
            trust.store(file, "changeit".toCharArray());
        }
        List<String> jvm = new ArrayList<>(ServerProcess.JVM_OPTIONS);
        // the HTTPS report sink's certificate, as a CA the operator's system trusts would be
        jvm.addAll(List.of("-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=changeit"));
        server = ServerProcess.start(home, jvm);
    }

    // the mx host's certificate for STARTTLS; the HTTPS sink's for its address, trusted by the server
    private static KeyStore certificates() throws Exception {
        new TestCertificate("mx.good.test").writePem(folder.resolve("mx.pem"), folder.resolve("mx.key"));
        TestCertificate https = new TestCertificate("127.0.0.74");
        https.writePem(folder.resolve("https.pem"), folder.resolve("https.key"));
        return https.trustStore();
    }

    // a port free on each of the addresses
    private static int freePort(String... addresses) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(addresses[0]))) {
                port = probe.getLocalPort();
            }
            if (Stream.of(addresses).allMatch(a -> free(a, port))) {
                return port;
            }
        }
        throw new IllegalStateException("no common free port");
    }

    private static boolean free(String address, int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(address))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (peers != null) {
            Programs.stop(peers);
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aDaysResultsReachEachDomainThatAsksOnceByMailAndByHttps() throws Exception {
        // one message, one transaction and so one TLS session per domain
        send("a@good.test", "c@plain.test", "d@quiet.test");
        awaitFiles("good", 2);
        awaitFiles("plain", 1);
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        Programs.Result first = home.petrelOk(null, "report", "send", "--day", day);
        assertEquals("tls reports of " + day + ": 2 sent, 0 sent before, 0 failed, 1 domain(s) asking for none\n",
                first.stdout(), first.describe());

        JsonNode mailed = JSON.readTree(awaitFiles("reports", 1).getFirst().toFile());
        assertEquals("multipart/report", mailed.path("content_type").asText(), mailed.toString());
        assertEquals("tlsrpt", mailed.path("report_type").asText());
        assertEquals("good.test", mailed.path("tls_report_domain").asText());
        assertEquals("sender.test", mailed.path("tls_report_submitter").asText());
        assertEquals("Report Domain: good.test Submitter: sender.test Report-ID: <" + day
                + "T00:00:00Z_good.test@sender.test>", mailed.path("subject").asText());
        assertTrue(mailed.path("dkim_signature").asText().contains("d=sender.test"), mailed.toString());
        assertTrue(mailed.path("filename").asText().matches("sender\\.test!good\\.test!\\d+!\\d+\\.json\\.gz"),
                mailed.toString());
        JsonNode good = mailed.path("report");
        assertEquals("Sender Org", good.path("organization-name").asText());
        assertEquals("ops@sender.test", good.path("contact-info").asText());
        assertEquals(day + "T00:00:00Z", good.path("date-range").path("start-datetime").asText());
        JsonNode goodPolicy = good.path("policies").get(0);
        assertEquals("no-policy-found", goodPolicy.path("policy").path("policy-type").asText());
        assertEquals("good.test", goodPolicy.path("policy").path("policy-domain").asText());
        assertEquals(1, goodPolicy.path("summary").path("total-successful-session-count").asInt(), good.toString());
        assertEquals(0, goodPolicy.path("summary").path("total-failure-session-count").asInt(), good.toString());

        JsonNode posted = JSON.readTree(awaitFiles("https", 1).getFirst().toFile());
        assertEquals("/tlsrpt", posted.path("path").asText());
        assertEquals("application/tlsrpt+gzip", posted.path("content_type").asText());
        JsonNode plainPolicy = posted.path("report").path("policies").get(0);
        assertEquals("plain.test", plainPolicy.path("policy").path("policy-domain").asText());
        assertEquals(0, plainPolicy.path("summary").path("total-successful-session-count").asInt());
        assertEquals(1, plainPolicy.path("summary").path("total-failure-session-count").asInt());
        JsonNode failure = plainPolicy.path("failure-details").get(0);
        assertEquals("starttls-not-supported", failure.path("result-type").asText(), posted.toString());
        assertEquals("mx.plain.test", failure.path("receiving-mx-hostname").asText());
        assertEquals("127.0.0.72", failure.path("receiving-ip").asText());
        assertEquals(1, failure.path("failed-session-count").asInt());

        // reports.test has results now too (the report's own delivery), and asks for none
        Programs.Result again = home.petrelOk(null, "report", "send", "--day", day);
        assertEquals("tls reports of " + day + ": 0 sent, 2 sent before, 0 failed, 2 domain(s) asking for none\n",
                again.stdout(), again.describe());
        assertEquals(1, files("reports").size(), "mailed once");
        assertEquals(1, files("https").size(), "posted once");
        assertTrue(server.log().contains("tlsrpt sent domain=plain.test"),
                "the server logs what it sent");
    }

    @Test
    void aKindNotTurnedOnIsRefused() throws Exception {
        Programs.Result kind = home.petrel(null, "report", "send", "--day", "2026-01-01", "--kind", "dmarc");
        assertEquals(1, kind.exitCode(), kind.describe());
        assertTrue(kind.stderr().contains("no dmarc reports are sent: [reports] dmarc is not true"), kind.describe());
    }

    private static void send(String... rcpts) throws Exception {
        byte[] message = "From: <tlsrpt-test@sender.test>\r\nSubject: hello\r\n\r\nhi\r\n"
                .getBytes(StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("sendmail", "-f", "tlsrpt-test@sender.test"));
        args.addAll(List.of(rcpts));
        home.petrelOk(message, args.toArray(String[]::new));
    }

    private static List<Path> files(String sub) throws Exception {
        Path dir = folder.resolve(sub);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> !p.toString().endsWith(".tmp")).sorted().toList();
        }
    }

    private static List<Path> awaitFiles(String sub, int count) throws Exception {
        return Poll.until(ARRIVAL, count + " file(s) in " + sub, () -> {
            List<Path> found = files(sub);
            return found.size() >= count ? found : null;
        });
    }
}
