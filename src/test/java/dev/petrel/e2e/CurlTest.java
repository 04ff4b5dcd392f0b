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
 * curl (libcurl's SMTP client, inside countless applications) against a real server process: plain on the mx
 * port, STARTTLS and AUTH on submission, implicit TLS and AUTH LOGIN on submissions.
 */
class CurlTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "curl-secret";

    private static String curl;
    private static PetrelHome home;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        curl = Programs.require("curl", "curl");
        home = PetrelHome.create(scratch.newFolder("home"));
        home.addUser(USER, PASSWORD);
        server = home.start();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void uploadToMxIsQueuedExactly() throws Exception {
        byte[] message = message("plain mx");
        Programs.Result r = curl(message, "--url", "smtp://127.0.0.1:" + server.port("mx") + "/curl.e2e.test",
                "--mail-from", "sender@remote.test", "--mail-rcpt", USER);
        assertEquals(0, r.exitCode(), r.describe());
        StoredMessage stored = Queued.assertReceived(home, Queued.idIn(r.output()), message, "ESMTP");
        assertEquals("sender@remote.test", stored.message().envelope().reversePath().toString());
    }

    @Test
    void requiredStarttlsWithAuthOnSubmissionIsQueuedAsEsmtpsa() throws Exception {
        byte[] message = message("STARTTLS and AUTH");
        Programs.Result r = curl(message, "--ssl-reqd", "-k",
                "--url", "smtp://127.0.0.1:" + server.port("submission") + "/curl.e2e.test",
                "--user", USER + ":" + PASSWORD, "--mail-from", USER, "--mail-rcpt", USER);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.output().contains("\n> STARTTLS\r\n") || r.output().contains("\n> STARTTLS\n"), r.describe());
        assertTrue(r.output().matches("(?s).*SSL connection using TLSv1\\.[23] .*"), r.describe());
        StoredMessage stored = Queued.assertReceived(home, Queued.idIn(r.output()), message, "ESMTPSA");
        assertEquals(USER, stored.message().envelope().authenticatedUser());
    }

    @Test
    void smtpsWithAuthLoginOnSubmissionsIsQueuedAsEsmtpsa() throws Exception {
        byte[] message = message("implicit TLS and AUTH LOGIN");
        Programs.Result r = curl(message, "-k",
                "--url", "smtps://127.0.0.1:" + server.port("submissions") + "/curl.e2e.test",
                "--user", USER + ":" + PASSWORD, "--login-options", "AUTH=LOGIN", "--mail-from", USER,
                "--mail-rcpt", USER);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.output().contains("> AUTH LOGIN"), r.describe());
        StoredMessage stored = Queued.assertReceived(home, Queued.idIn(r.output()), message, "ESMTPSA");
        assertEquals(USER, stored.message().envelope().authenticatedUser());
    }

    private static Programs.Result curl(byte[] message, String... args) throws Exception {
        Path file = Files.createTempFile(home.dir(), "upload-", ".eml");
        Files.write(file, message);
        // -v prints the server's replies, "queued as" among them, on standard error
        List<String> command = new ArrayList<>(List.of(curl, "-sS", "-v", "--max-time", "30", "--upload-file",
                file.toString()));
        command.addAll(List.of(args));
        return Programs.run(home.dir(), "curl", command, null, Programs.CLIENT_TIMEOUT);
    }

    /** Ends in CRLF, so curl adds only the final dot; has a line curl must dot-stuff. */
    private static byte[] message(String subject) {
        return ("From: <" + USER + ">\r\nTo: <" + USER + ">\r\nSubject: curl " + subject + "\r\n"
                + "Message-ID: <" + System.nanoTime() + "@curl.e2e.test>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                + "\r\nHello from curl.\r\n.a line that starts with a dot\r\nbye\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
