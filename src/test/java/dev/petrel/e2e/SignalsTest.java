package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The signals an operator sends {@code petrel serve}, to a real server process: SIGTERM drains and exits 0,
 * SIGHUP reloads the TLS certificate and keeps every connection.
 */
class SignalsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ServerProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigtermLetsASessionMidDataFinishRefusesNewConnectionsAndExitsZero() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("term"));
        server = home.start();
        int port = server.port("mx");
        try (SmtpLine busy = SmtpLine.connect(port); SmtpLine idle = SmtpLine.connect(port)) {
            assertTrue(busy.reply().startsWith("220 "));
            assertTrue(busy.command("EHLO client.test").startsWith("250"));
            assertTrue(busy.command("MAIL FROM:<alice@remote.test>").startsWith("250"));
            assertTrue(busy.command("RCPT TO:<postmaster@localhost>").startsWith("250"));
            assertTrue(busy.command("DATA").startsWith("354"));
            busy.send("Subject: drained\r\n\r\nfirst half\r\n");
            assertTrue(idle.reply().startsWith("220 "));
            assertTrue(idle.command("EHLO idle.test").startsWith("250"));

            server.signal("TERM");
            Poll.until(WAIT, "the server's 'stopping: signal TERM' line", () ->
                    server.log().contains("petrel: stopping: signal TERM; draining 2 session(s)") ? true : null);
            // a session between transactions is told at once, so the drain does not wait for it
            assertEquals("421 4.3.2 mx.e2e.test Service shutting down, closing transmission channel", idle.reply());
            Poll.until(WAIT, "new connections to be refused", () -> refused(port) ? true : null);

            busy.send("second half\r\n");
            String queued = busy.command(".");
            assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
            assertTrue(busy.command("QUIT").startsWith("421 4.3.2"), "after its transaction the session is closed");
        }
        assertEquals(0, server.awaitExit(WAIT), server.log());
        String log = server.log();
        assertTrue(log.contains("\npetrel: stopped\n"), log);
        assertTrue(!log.contains("Exception") && !log.contains("WARNING"), log);
        assertEquals(1, home.snapshot().size(), "the message acknowledged during the drain is in the queue");
    }

    @Test
    void sighupReloadsTheCertificateForNewConnectionsAndKeepsOpenOnes() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("hup"));
        Path cert = home.dir().resolve("cert.pem");
        Path key = home.dir().resolve("key.pem");
        makeCertificate(home.dir(), "first.test", cert, key);
        Files.writeString(home.config(), "\n[tls]\ncertificate = \"" + cert + "\"\nprivate_key = \"" + key + "\"\n",
                StandardOpenOption.APPEND);
        server = home.start();
        int port = server.port("submissions");
        try (SmtpLine open = SmtpLine.connectTls(port)) {
            assertEquals("CN=first.test", open.peerSubject());
            assertTrue(open.reply().startsWith("220 "));
            assertTrue(open.command("EHLO client.test").startsWith("250"));

            Path next = Files.createDirectory(home.dir().resolve("renewed"));
            makeCertificate(next, "second.test", next.resolve("cert.pem"), next.resolve("key.pem"));
            Files.move(next.resolve("key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(next.resolve("cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            server.signal("HUP");
            Poll.until(WAIT, "the server's 'reloaded' line", () ->
                    server.log().contains("petrel: reloaded tls certificate") ? true : null);

            try (SmtpLine fresh = SmtpLine.connectTls(port)) {
                assertEquals("CN=second.test", fresh.peerSubject());
                assertTrue(fresh.reply().startsWith("220 "));
            }
            assertTrue(open.command("NOOP").startsWith("250"), "the session opened before the reload goes on");
            assertTrue(open.command("QUIT").startsWith("221"));
        }

        // a broken renewal: the server says so and keeps the certificate it has
        Files.writeString(cert, "not a certificate\n");
        server.signal("HUP");
        Poll.until(WAIT, "the server's 'reload failed' line", () ->
                server.log().contains("petrel: reload failed, kept the old one: tls certificate: ") ? true : null);
        try (SmtpLine after = SmtpLine.connectTls(port)) {
            assertEquals("CN=second.test", after.peerSubject());
        }
        assertTrue(server.isAlive(), server.log());
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void makeCertificate(Path dir, String name, Path cert, Path key) throws Exception {
        String openssl = Programs.require("openssl", "openssl");
        Programs.Result r = Programs.run(dir, "openssl req " + name, List.of(openssl, "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", key.toString(), "-out", cert.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
    }
}
