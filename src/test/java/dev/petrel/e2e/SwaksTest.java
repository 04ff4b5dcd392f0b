package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * swaks, the SMTP test tool of mail administrators, against a real server process: plain mx delivery, pipelining,
 * STARTTLS and implicit TLS with AUTH on the submission ports, and the mx port's refusals (no AUTH, no relay).
 */
class SwaksTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "swaks-secret";

    private static String swaks;
    private static PetrelHome home;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        swaks = Programs.require("swaks", "swaks");
        home = PetrelHome.create(scratch.newFolder("home"));
        server = home.start();
        // added while the server runs: the server must see the new user without a restart
        home.addUser(USER, PASSWORD);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mxAcceptsMailForALocalUserWithoutAuth() throws Exception {
        byte[] data = message("plain mx");
        Programs.Result r = swaks(data, "--server", "127.0.0.1:" + server.port("mx"),
                "--from", "sender@remote.test", "--to", USER);
        assertEquals(0, r.exitCode(), r.describe());
        StoredMessage stored = Queued.assertReceived(home, Queued.idIn(r.output()), sent(data), "ESMTP");
        assertEquals(null, stored.message().envelope().authenticatedUser());
        assertEquals("sender@remote.test", stored.message().envelope().reversePath().toString());
    }

    @Test
    void pipelinedTransactionOnMxIsQueued() throws Exception {
        byte[] data = message("pipelining");
        Programs.Result r = swaks(data, "--server", "127.0.0.1:" + server.port("mx"), "--pipeline",
                "--from", "sender@remote.test", "--to", USER);
        assertEquals(0, r.exitCode(), r.describe());
        // RFC 2920: MAIL, RCPT and DATA went out together, before any of their replies
        assertTrue(r.output().matches("(?s).*\n -> MAIL FROM:<sender@remote\\.test>\n -> RCPT TO:<" + USER
                + ">\n -> DATA\n<-  250 2\\.1\\.0 .*"), "swaks did not pipeline:\n" + r.describe());
        Queued.assertReceived(home, Queued.idIn(r.output()), sent(data), "ESMTP");
    }

    @Test
    void submissionWithStarttlsAndAuthPlainIsQueuedAsEsmtpsa() throws Exception {
        byte[] data = message("STARTTLS and AUTH PLAIN");
        Programs.Result r = swaks(data, "--server", "127.0.0.1:" + server.port("submission"), "--tls",
                "--auth", "PLAIN", "--auth-user", USER, "--auth-password", PASSWORD, "--from", USER, "--to", USER);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.output().matches("(?s).*=== TLS started with cipher TLSv1\\.[23]:.*"), r.describe());
        StoredMessage stored = Queued.assertReceived(home, Queued.idIn(r.output()), sent(data), "ESMTPSA");
        assertEquals(USER, stored.message().envelope().authenticatedUser());
    }

    @Test
    void submissionsWithTlsOnConnectAndAuthLoginIsQueuedAsEsmtpsa() throws Exception {
        byte[] data = message("TLS on connect and AUTH LOGIN");
        Programs.Result r = swaks(data, "--server", "127.0.0.1:" + server.port("submissions"), "--tlsc",
                "--auth", "LOGIN", "--auth-user", USER, "--auth-password", PASSWORD, "--from", USER, "--to", USER);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.output().contains("AUTH LOGIN"), r.describe());
        StoredMessage stored = Queued.assertReceived(home, Queued.idIn(r.output()), sent(data), "ESMTPSA");
        assertEquals(USER, stored.message().envelope().authenticatedUser());
    }

    @Test
    void authOnMxIsRefusedWithAndWithoutStarttls() throws Exception {
        int queued = home.snapshot().size();
        for (boolean tls : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1:" + server.port("mx"), "--auth",
                    "PLAIN", "--auth-user", USER, "--auth-password", PASSWORD, "--from", USER, "--to", USER));
            if (tls) {
                args.add("--tls");
            }
            Programs.Result r = swaks(message("AUTH on mx"), args.toArray(String[]::new));
            // swaks exit code 28: error in the AUTH transaction
            assertEquals(28, r.exitCode(), r.describe());
            assertTrue(r.output().contains("Host did not advertise authentication"), r.describe());
        }
        assertEquals(queued, home.snapshot().size(), "nothing was queued");
    }

    @Test
    void relayToARemoteDomainWithoutAuthOnMxIsRefusedWith554() throws Exception {
        int queued = home.snapshot().size();
        Programs.Result r = swaks(message("relay attempt"), "--server", "127.0.0.1:" + server.port("mx"),
                "--from", "sender@remote.test", "--to", "someone@elsewhere.test");
        assertTrue(r.exitCode() != 0, r.describe());
        assertTrue(r.output().contains("554 5.7.1"), r.describe());
        assertEquals(queued, home.snapshot().size(), "nothing was queued");
    }

    private static Programs.Result swaks(byte[] data, String... args) throws Exception {
        Path file = Files.createTempFile(home.dir(), "data-", ".eml");
        Files.write(file, data);
        List<String> command = new ArrayList<>(List.of(swaks, "--helo", "swaks.e2e.test", "--timeout", "30",
                "--data", "@" + file));
        command.addAll(List.of(args));
        return Programs.run(home.dir(), "swaks", command, null, Programs.CLIENT_TIMEOUT);
    }

    /** swaks sends its data portion and then CRLF . CRLF: what arrives is the data and one more CRLF. */
    private static byte[] sent(byte[] data) {
        byte[] out = new byte[data.length + 2];
        System.arraycopy(data, 0, out, 0, data.length);
        out[data.length] = '\r';
        out[data.length + 1] = '\n';
        return out;
    }

    /** Headers swaks does not touch, a line swaks must dot-stuff, and no final line end (swaks adds it). */
    private static byte[] message(String subject) {
        return ("From: <" + USER + ">\r\nTo: <" + USER + ">\r\nSubject: swaks " + subject + "\r\n"
                + "Message-ID: <" + System.nanoTime() + "@swaks.e2e.test>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                + "\r\nHello from swaks.\r\n.a line that starts with a dot\r\nbye").getBytes(StandardCharsets.US_ASCII);
    }
}
