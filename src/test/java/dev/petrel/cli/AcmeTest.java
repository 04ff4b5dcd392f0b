package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.server.AcmeCertificates;
import dev.petrel.testing.HandClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [acme] against Debian's pebble: Petrel answers pebble's HTTP-01 check on its HTTP listener, serves the issued
 * certificate on STARTTLS, renews it once the clock comes within renew_before of its expiry, and a connection
 * encrypted before the renewal keeps working after it; restarted with HTTPS, it serves the kept certificate there.
 */
class AcmeTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NAME = "mail.acme-test";

    @TempDir
    Path dir;

    @Test
    void pebbleIssuesTheCertificateStarttlsServesItAndItIsRenewedNearExpiryWithoutDroppingAConnection()
            throws Exception {
        Files.createDirectories(dir.resolve("pebble"));
        HandClock clock = new HandClock();
        clock.now = Instant.now();
        int httpPort = Pebble.freePort();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Dnsmasq dns = new Dnsmasq(NAME, List.of("--local=/acme-test/", "--host-record=" + NAME + ",127.0.0.1",
                "--host-record=smtp.acme-test,127.0.0.1"));
             Pebble pebble = new Pebble(dir.resolve("pebble"), httpPort, dns.address());
             Petrel petrel = Petrel.start(config(pebble, httpPort), new PrintStream(log, true, StandardCharsets.UTF_8),
                     clock)) {
            AcmeCertificates acme = petrel.acme().orElseThrow();
            await(() -> issued(log) == 1, "a certificate from pebble", log, pebble);
            Path root = dir.resolve("root.pem");
            Files.writeString(root, pebble.issuingRoot());
            int smtpPort = petrel.addresses().get(0).getPort();
            X509Certificate first = leaf(acme.chainFile());
            assertEquals(java.util.Set.of(NAME, "smtp.acme-test"), first.getSubjectAlternativeNames().stream()
                    .map(n -> (String) n.get(1)).collect(java.util.stream.Collectors.toSet()));
            String served = opensslStarttls(smtpPort, root);
            assertTrue(served.contains("Verify return code: 0 (ok)"), served);
            // the leaf (depth 0) is signed by pebble's intermediate, as its management endpoint names it
            assertTrue(java.util.regex.Pattern.compile(" 0 s:CN=[a-z.-]+acme-test\n   i:"
                    + java.util.regex.Pattern.quote(subject(pebble.intermediate())) + "\n")
                    .matcher(served.replace("CN = ", "CN=")).find(), served);
            // SIGHUP re-reads the ACME pair (the files it switched to), not the self-signed one
            assertEquals(List.of(), petrel.reload());
            assertEquals(first.getSerialNumber(), served(smtpPort, root).getSerialNumber());
            assertEquals(404, challengeStatus(httpPort, "no-such-token"), "a token no order has");
            for (Path secret : List.of(acme.accountKeyFile(), acme.keyFile(), acme.chainFile())) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                        secret.toString());
            }

            clock.now = first.getNotAfter().toInstant().minus(Duration.ofDays(31));
            assertFalse(acme.renewIfDue(), "a day before the renewal margin");
            try (Socket open = starttls(smtpPort, root)) {
                // a day after the renewal margin began: the next check renews
                clock.now = first.getNotAfter().toInstant().minus(Duration.ofDays(29));
                await(() -> issued(log) == 2, "a renewed certificate",
                        log, pebble);
                assertEquals("250", command(open, "NOOP").substring(0, 3), "the connection open during the renewal");
                assertEquals(first.getSerialNumber(), ((X509Certificate) ((SSLSocket) open).getSession()
                        .getPeerCertificates()[0]).getSerialNumber());
            }
            X509Certificate renewed = served(smtpPort, root);
            assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber());
            assertEquals(serial(acme.chainFile()), renewed.getSerialNumber());
            petrel.close();
            assertEquals(renewed.getSerialNumber(), httpsAfterRestart(root).getSerialNumber());
        }
    }

    @Test
    void aCaThatDoesNotAnswerIsLoggedAndTheListenersKeepTheirCertificate() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int nobody = Pebble.freePort();
        Config c = ConfigLoader.parse("""
                hostname = "%s"
                data_dir = "%s"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                [http]
                address = "127.0.0.1:0"
                [acme]
                directory = "https://localhost:%d/dir"
                names = ["%s"]
                """.formatted(NAME, dir.resolve("data"), nobody, NAME), dir);
        try (Petrel petrel = Petrel.start(c, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!log.toString(StandardCharsets.UTF_8).contains("acme=failed names=" + NAME + " error=\"ACME ")) {
                assertTrue(System.nanoTime() < deadline, "no failure logged: " + log);
                Thread.sleep(50);
            }
            assertFalse(Files.exists(petrel.acme().orElseThrow().chainFile()));
            // the self-signed pair still serves STARTTLS
            try (Socket s = new Socket("127.0.0.1", petrel.addresses().get(0).getPort())) {
                s.setSoTimeout(10_000);
                assertEquals("220", reply(s.getInputStream()).substring(0, 3));
                command(s, "EHLO client.acme-test");
                assertEquals("220", command(s, "STARTTLS").substring(0, 3));
            }
        }
    }

    // a restart with HTTPS on the same data_dir: the kept certificate is used at once, and by HTTPS too
    private X509Certificate httpsAfterRestart(Path root) throws Exception {
        Config c = ConfigLoader.parse("""
                hostname = "%s"
                data_dir = "%s"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                [http]
                address = "127.0.0.1:0"
                tls = true
                [acme]
                directory = "https://localhost:%d/dir"
                names = ["%s", "smtp.acme-test"]
                """.formatted(NAME, dir.resolve("data"), Pebble.freePort(), NAME), dir);
        try (Petrel petrel = Petrel.start(c, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
             SSLSocket https = (SSLSocket) trusting(root).getSocketFactory().createSocket("127.0.0.1",
                     petrel.httpAddress().getPort())) {
            https.startHandshake();
            return (X509Certificate) https.getSession().getPeerCertificates()[0];
        }
    }

    private Config config(Pebble pebble, int httpPort) throws IOException {
        return ConfigLoader.parse("""
                hostname = "%s"
                data_dir = "%s"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                [http]
                address = "127.0.0.1:%d"
                [acme]
                directory = "%s"
                contact = "postmaster@acme-test"
                names = ["%s", "smtp.acme-test"]
                accept_terms = true
                check_interval = "1s"
                trust = "%s"
                """.formatted(NAME, dir.resolve("data"), httpPort, pebble.directory(), NAME, pebble.certificate()),
                dir);
    }

    // openssl's view of STARTTLS on the mx listener, its chain checked against pebble's issuing root
    private static String opensslStarttls(int port, Path root) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-starttls", "smtp", "-connect", "127.0.0.1:" + port,
                "-servername", NAME, "-verify_hostname", NAME, "-CAfile", root.toString(), "-verify_return_error")
                .redirectErrorStream(true).start();
        p.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl s_client ends");
        return out;
    }

    // an SMTP session on the mx listener, encrypted by STARTTLS with the chain checked against the root
    private static Socket starttls(int port, Path root) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        reply(plain.getInputStream());
        command(plain, "EHLO client.acme-test");
        assertEquals("220", command(plain, "STARTTLS").substring(0, 3));
        SSLSocket tls = (SSLSocket) trusting(root).getSocketFactory().createSocket(plain, NAME, port, true);
        tls.startHandshake();
        assertEquals("250", command(tls, "EHLO client.acme-test").substring(0, 3));
        return tls;
    }

    // the leaf a new STARTTLS session is given
    private static X509Certificate served(int port, Path root) throws Exception {
        try (Socket s = starttls(port, root)) {
            return (X509Certificate) ((SSLSocket) s).getSession().getPeerCertificates()[0];
        }
    }

    private static int challengeStatus(int httpPort, String token) throws Exception {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort
                    + "/.well-known/acme-challenge/" + token)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static String command(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(s.getInputStream());
    }

    // the last line of a reply, read byte by byte so nothing after it is buffered away
    private static String reply(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.US_ASCII).strip();
            if (text.length() < 4 || text.charAt(3) != '-') {
                return text;
            }
        }
    }

    private static SSLContext trusting(Path root) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("root", leaf(root));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate leaf(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static BigInteger serial(Path pem) {
        try {
            return leaf(pem).getSerialNumber();
        } catch (Exception e) {
            return BigInteger.ZERO;
        }
    }

    // a PEM certificate's subject, as openssl prints it (CN=...)
    private static String subject(String pem) throws Exception {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        String subject = c.getSubjectX500Principal().getName();
        assertTrue(subject.startsWith("CN="), subject);
        return subject;
    }

    private static void await(BooleanSupplier condition, String what, ByteArrayOutputStream log, Pebble pebble)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + WAIT + "\npetrel:\n" + log + "\npebble:\n"
                        + pebble.log());
            }
            Thread.sleep(100);
        }
    }

    private static long issued(ByteArrayOutputStream log) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("acme=issued")).count();
    }
}
