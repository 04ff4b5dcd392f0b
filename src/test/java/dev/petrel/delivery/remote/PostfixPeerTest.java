package dev.petrel.delivery.remote;

import static dev.petrel.delivery.remote.RemoteDeliveryTest.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.Route;
import dev.petrel.dns.Site;
import dev.petrel.mail.Domain;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real peer (STYLE.md, tests layer 4): a private Postfix on 127.0.0.1 with STARTTLS, its own configuration and
 * queue, that keeps every message in its hold queue. Petrel delivers to it; the stored message shows TLS was used
 * and is the message sent. Needs root and the Debian postfix package; the temporary folder is kept on failure.
 */
class PostfixPeerTest {

    static final String HOST = "postfix.dest.test";
    static final Duration STEP_DEADLINE = Duration.ofSeconds(30);

    static Path dir;
    static Path conf;
    static int port;
    static TestCertificate certificate;
    static boolean passed;

    static final byte[] CONTENT = ("From: <sender@source.test>\r\nTo: <user@dest.test>\r\nSubject: to Postfix\r\n"
            + "Date: Tue, 1 Jul 2025 12:00:00 +0000\r\nMessage-ID: <postfix-peer@source.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + ".leading dot\r\n..two dots\r\n.\r\n\u00e9t\u00e9\r\nlast line\r\n").getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void startPostfix() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/postfix")), "postfix is not installed");
        assertEquals("root", System.getProperty("user.name"), "Postfix's master needs root");
        dir = Files.createTempDirectory("petrel-postfix");
        // Postfix's daemons run as the postfix user: they must reach the data and queue folders
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(dir.resolve("data"));
        run("chown", "postfix", dir.resolve("data").toString());
        certificate = new TestCertificate(HOST);
        certificate.writePem(conf.resolve("cert.pem"), conf.resolve("key.pem"));
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        writeConfig();
        run("postfix", "-c", conf.toString(), "check");
        run("postfix", "-c", conf.toString(), "start");
        awaitListening();
    }

    private static void writeConfig() throws Exception {
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + dir.resolve("data"),
                "maillog_file = " + dir.resolve("maillog"),
                "maillog_file_prefixes = " + dir,
                "myhostname = " + HOST,
                "mydestination =",
                "relay_domains =",
                "relayhost =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "smtpd_peername_lookup = no",
                "smtp_dns_support_level = disabled",
                // every message is held as it is accepted; should one leave the hold queue, it is discarded
                "smtpd_client_restrictions = check_client_access static:HOLD",
                "smtpd_relay_restrictions = permit_mynetworks, reject",
                "default_transport = discard:held by the Petrel test",
                "relay_transport = $default_transport",
                "local_transport = $default_transport",
                "virtual_transport = $default_transport",
                // no header added or rewritten for a client on our own interfaces: the message stays as sent
                "local_header_rewrite_clients =",
                "alias_maps =",
                "alias_database =",
                "local_recipient_maps =",
                "notify_classes =",
                "biff = no",
                "smtpd_tls_security_level = may",
                "smtpd_tls_cert_file = " + conf.resolve("cert.pem"),
                "smtpd_tls_key_file = " + conf.resolve("key.pem"),
                "smtpd_tls_received_header = yes",
                "smtpd_tls_loglevel = 1",
                ""));
        Files.copy(Path.of("/etc/postfix/master.cf"), conf.resolve("master.cf"));
        run("postconf", "-c", conf.toString(), "-F", "*/*/chroot = n");
        String services = run("postconf", "-c", conf.toString(), "-M");
        for (String line : services.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 7 && (f[1].equals("inet") || f[7].equals("pipe"))) {
                run("postconf", "-c", conf.toString(), "-MX", f[0] + "/" + f[1]);
            }
        }
        run("postconf", "-c", conf.toString(), "-M",
                "127.0.0.1:" + port + "/inet = 127.0.0.1:" + port + " inet n - n - - smtpd");
    }

    private static void awaitListening() throws Exception {
        long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Postfix does not listen on 127.0.0.1:" + port + "; log: " + maillog());
    }

    @AfterAll
    static void stopPostfix() throws Exception {
        if (conf == null) {
            return;
        }
        Path pidFile = dir.resolve("queue/pid/master.pid");
        String pid = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
        runQuietly("postfix", "-c", conf.toString(), "stop");
        if (!pid.isEmpty()) {
            long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
            while (Files.exists(Path.of("/proc", pid)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (Files.exists(Path.of("/proc", pid))) {
                runQuietly("postfix", "-c", conf.toString(), "abort");
            }
        }
        if (passed) {
            runQuietly("rm", "-rf", dir.toString());
        } else {
            System.err.println("PostfixPeerTest: kept " + dir);
        }
    }

    private static Route route() throws Exception {
        Route.Host host = new Route.Host(HOST, 10, List.of(InetAddress.getByName("127.0.0.1")));
        return new Route(Domain.parse("dest.test"), Site.of(List.of(HOST)), List.of(host));
    }

    @Test
    void postfixReceivesTheMessageIntactOverVerifiedStartTls() throws Exception {
        RemoteDelivery delivery = new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(port)
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(20))).withTrustStore(certificate.trustStore()));
        List<Attempted> out = delivery.attempt(route(), transaction(CONTENT, "user@dest.test"), TlsPolicy.REQUIRE);

        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), () -> out + "\n" + maillog());
        assertEquals(HOST + "[127.0.0.1]:" + port, out.getFirst().relay());
        List<String> held = held();
        assertEquals(1, held.size(), held::toString);
        String stored = run("postcat", "-c", conf.toString(), "-bh", "-q", held.getFirst());
        String received = stored.substring(0, stored.indexOf("From: "));
        assertTrue(received.startsWith("Received: from petrel.source.test"), stored);
        assertTrue(received.contains("(using TLSv1.3"), received);
        assertTrue(received.contains("with ESMTPS"), received);
        // the rest is what was sent, line for line (postcat ends lines with LF)
        String sent = new String(CONTENT, StandardCharsets.UTF_8).replace("\r\n", "\n");
        assertEquals(sent, stored.substring(received.length()));
        // postlogd writes the log after smtpd has answered: on a busy machine the line comes a moment later
        assertTrue(logged("TLS connection established from", Duration.ofSeconds(15)), PostfixPeerTest::maillog);
        passed = true;
    }

    private static boolean logged(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!maillog().contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static List<String> held() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("queue/hold"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    static String maillog() {
        try {
            return Files.readString(dir.resolve("maillog"));
        } catch (IOException e) {
            return "(no maillog: " + e.getMessage() + ")";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(STEP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (Exception e) {
            System.err.println("PostfixPeerTest: " + e.getMessage());
        }
    }
}
