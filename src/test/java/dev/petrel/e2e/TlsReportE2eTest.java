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
 * TLS reporting (RFC 8460) on a running server: mail to good.test (an MTA-STS policy in enforce mode) goes to an
 * aiosmtpd offering STARTTLS with a certificate that verifies, to plain.test (no policy) to one without STARTTLS
 * (delivered in cleartext, a starttls-not-supported failure), to strict.test (enforce mode) to that one too (the
 * mail waits: a failure under the policy), to quiet.test to the first again; a dnsmasq publishes the MTA-STS
 * records (the policies served over HTTPS on 127.0.0.75:443) and _smtp._tls records for good.test (mailto:),
 * plain.test and strict.test (https:), none for quiet.test. {@code petrel report send --day} then mails good.test's
 * report to a third aiosmtpd and posts the others' to an HTTPS server, each parsed by Python (tlsrpt_peers.py);
 * quiet.test gets none, and a second run sends nothing again. Binding port 443 needs root, as the suite has.
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
                folder.resolve("https.pem").toString(), folder.resolve("https.key").toString(),
                folder.resolve("policy.pem").toString(), folder.resolve("policy.key").toString())
                .redirectError(folder.resolve("stderr").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peers.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine(), "tlsrpt_peers.py did not start: "
                + Files.readString(folder.resolve("stderr")));
        String rua = "v=TLSRPTv1; rua=https://127.0.0.74:" + httpsPort;
        dns = new Dnsmasq("ready.tlsrpt.test", List.of("--local=/tlsrpt.test/", "--local=/good.test/",
                "--local=/plain.test/", "--local=/quiet.test/", "--local=/reports.test/", "--local=/strict.test/",
                "--host-record=ready.tlsrpt.test,127.0.0.1",
                "--mx-host=good.test,mx.good.test,10", "--host-record=mx.good.test,127.0.0.71",
                "--txt-record=_mta-sts.good.test,v=STSv1; id=20261207;", "--host-record=mta-sts.good.test,127.0.0.75",
                "--mx-host=plain.test,mx.plain.test,10", "--host-record=mx.plain.test,127.0.0.72",
                "--mx-host=strict.test,mx.strict.test,10", "--host-record=mx.strict.test,127.0.0.72",
                "--txt-record=_mta-sts.strict.test,v=STSv1; id=20261207;",
                "--host-record=mta-sts.strict.test,127.0.0.75",
                "--mx-host=quiet.test,mx.quiet.test,10", "--host-record=mx.quiet.test,127.0.0.71",
                "--mx-host=reports.test,mx.reports.test,10", "--host-record=mx.reports.test,127.0.0.73",
                "--txt-record=_smtp._tls.good.test,v=TLSRPTv1; rua=mailto:tlsrpt@reports.test",
                "--txt-record=_smtp._tls.plain.test," + rua + "/plain",
                "--txt-record=_smtp._tls.strict.test," + rua + "/strict"));
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

    // the certificates of good.test's MX host, of the HTTPS sink's address and of the policy hosts, all trusted by
    // the server as if a CA it trusts had signed them
    private static KeyStore certificates() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String[] c : List.of(new String[] {"mx", "mx.good.test"}, new String[] {"https", "127.0.0.74"},
                new String[] {"policy", "mta-sts.good.test", "mta-sts.strict.test"})) {
            TestCertificate certificate = new TestCertificate(java.util.Arrays.copyOfRange(c, 1, c.length));
            certificate.writePem(folder.resolve(c[0] + ".pem"), folder.resolve(c[0] + ".key"));
            trust.setCertificateEntry(c[0], certificate.certificate);
        }
        return trust;
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
        send("a@good.test", "c@plain.test", "d@quiet.test", "e@strict.test");
        awaitFiles("good", 2);
        awaitFiles("plain", 1);
        Poll.until(ARRIVAL, "strict.test's mail deferred", () -> server.log().matches(
                "(?s).*deferred id=\\S+ to=<e@strict\\.test>.*") ? true : null);
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        Programs.Result first = home.petrelOk(null, "report", "send", "--day", day);
        assertEquals("all reports of " + day + ": 3 sent, 0 sent before, 0 failed, 1 domain(s) asking for none\n",
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
        assertEquals("sts", goodPolicy.path("policy").path("policy-type").asText(), good.toString());
        assertEquals("mode: enforce", goodPolicy.path("policy").path("policy-string").get(1).asText());
        assertEquals("mx.good.test", goodPolicy.path("policy").path("mx-host").get(0).asText());
        assertEquals("good.test", goodPolicy.path("policy").path("policy-domain").asText());
        assertEquals(1, goodPolicy.path("summary").path("total-successful-session-count").asInt(), good.toString());
        assertEquals(0, goodPolicy.path("summary").path("total-failure-session-count").asInt(), good.toString());

        List<JsonNode> posts = new ArrayList<>();
        for (Path p : awaitFiles("https", 2)) {
            posts.add(JSON.readTree(p.toFile()));
        }
        JsonNode posted = posts.stream().filter(p -> p.path("path").asText().equals("/plain")).findFirst().orElseThrow();
        assertEquals("application/tlsrpt+gzip", posted.path("content_type").asText());
        JsonNode plainPolicy = posted.path("report").path("policies").get(0);
        assertEquals("no-policy-found", plainPolicy.path("policy").path("policy-type").asText());
        assertEquals("plain.test", plainPolicy.path("policy").path("policy-domain").asText());
        assertEquals(0, plainPolicy.path("summary").path("total-successful-session-count").asInt());
        assertEquals(1, plainPolicy.path("summary").path("total-failure-session-count").asInt());
        JsonNode failure = plainPolicy.path("failure-details").get(0);
        assertEquals("starttls-not-supported", failure.path("result-type").asText(), posted.toString());
        assertEquals("mx.plain.test", failure.path("receiving-mx-hostname").asText());
        assertEquals("127.0.0.72", failure.path("receiving-ip").asText());
        assertEquals(1, failure.path("failed-session-count").asInt());
        JsonNode strict = posts.stream().filter(p -> p.path("path").asText().equals("/strict")).findFirst()
                .orElseThrow().path("report").path("policies").get(0);
        assertEquals("sts", strict.path("policy").path("policy-type").asText(), strict.toString());
        assertEquals("strict.test", strict.path("policy").path("policy-domain").asText());
        assertEquals(1, strict.path("summary").path("total-failure-session-count").asInt(), strict.toString());
        assertEquals("starttls-not-supported", strict.path("failure-details").get(0).path("result-type").asText());

        // reports.test has results now too (the report's own delivery), and asks for none
        Programs.Result again = home.petrelOk(null, "report", "send", "--day", day);
        assertEquals("all reports of " + day + ": 0 sent, 3 sent before, 0 failed, 2 domain(s) asking for none\n",
                again.stdout(), again.describe());
        assertEquals(1, files("reports").size(), "mailed once");
        assertEquals(2, files("https").size(), "posted once each");
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
