package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.queue.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Python's smtplib, a client millions of scripts use, against a real server process: STARTTLS and implicit
 * TLS, AUTH PLAIN and LOGIN, and the refusals a submission server owes (no AUTH in clear text, 535 for a wrong
 * password, no TLS older than 1.2). The script, src/test/resources/e2e/smtp_client.py, prints what the server
 * answered as JSON.
 */
class PythonSmtplibTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "correct horse battery staple";
    private static final Set<String> MODERN_TLS = Set.of("TLSv1.2", "TLSv1.3");

    private static PetrelHome home;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        Programs.require("python3", "python3");
        home = PetrelHome.create(scratch.newFolder("home"));
        // the user exists before the server starts (SwaksTest adds one to a running server)
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
    void starttlsAndAuthPlainOnSubmissionQueueTheExactMessageAsEsmtpsa() throws Exception {
        byte[] original = message("STARTTLS and AUTH PLAIN", true);
        JsonNode r = send("submission", "starttls", "plain", PASSWORD, original);
        assertFalse(r.path("features").has("auth"), "AUTH offered before STARTTLS: " + r);
        assertTrue(r.path("features").has("starttls"), "STARTTLS not offered: " + r);
        assertEquals(220, r.path("starttls").get(0).asInt(), r.toString());
        assertTrue(r.path("features_after_tls").path("auth").asText().matches(".*\\bPLAIN\\b.*\\bLOGIN\\b.*"),
                "AUTH PLAIN and LOGIN after STARTTLS: " + r);
        assertTrue(MODERN_TLS.contains(r.path("tls_version").asText()), r.toString());
        assertEquals(235, r.path("auth").get(0).asInt(), r.toString());
        StoredMessage stored = Queued.assertReceived(home, queuedId(r), original, "ESMTPSA");
        assertEquals(USER, stored.message().envelope().authenticatedUser());
        assertEquals(USER, stored.message().envelope().reversePath().toString());
    }

    @Test
    void authLoginWithoutInitialResponseOverTls12IsAcceptedAndQueuedAsEsmtpsa() throws Exception {
        byte[] original = message("AUTH LOGIN over TLS 1.2", true);
        JsonNode r = send("submission", "starttls", "login", PASSWORD, original, "--tls-max", "1.2");
        assertEquals("TLSv1.2", r.path("tls_version").asText(), "a TLS 1.2 client is served: " + r);
        assertEquals(235, r.path("auth").get(0).asInt(), r.toString());
        StoredMessage stored = Queued.assertReceived(home, queuedId(r), original, "ESMTPSA");
        assertTrue(new String(stored.content(), StandardCharsets.US_ASCII).contains("(using TLSv1.2 with cipher "),
                "Received names TLS 1.2");
    }

    @Test
    void smtpSslOnSubmissionsLogsInAndGetsMessageIdAndDateAdded() throws Exception {
        // without Message-ID and Date: a submission server adds them (RFC 6409 8.2, 8.3)
        byte[] original = message("implicit TLS", false);
        JsonNode r = send("submissions", "implicit", "auto", PASSWORD, original);
        assertTrue(MODERN_TLS.contains(r.path("tls_version").asText()), r.toString());
        assertFalse(r.path("features").has("starttls"), "no STARTTLS inside implicit TLS: " + r);
        assertEquals(235, r.path("auth").get(0).asInt(), r.toString());
        Queued.assertReceived(home, queuedId(r), original, "ESMTPSA", "Message-ID", "Date");
    }

    @Test
    void authOverPlaintextOnSubmissionIsNeitherAdvertisedNorAccepted() throws Exception {
        int queued = home.snapshot().size();
        JsonNode r = send("submission", "none", "auto", PASSWORD, message("no TLS", true));
        assertEquals("SMTPNotSupportedError", r.path("auth_error").path("type").asText(),
                "smtplib must find no AUTH to use without TLS: " + r);
        assertFalse(r.path("features").has("auth"), r.toString());
        assertEquals(530, r.path("raw_auth").get(0).asInt(), "AUTH sent anyway must be refused: " + r);
        assertTrue(r.path("raw_auth").get(1).asText().startsWith("5.7.0 "), r.toString());
        assertFalse(r.has("data"), r.toString());
        assertEquals(queued, home.snapshot().size(), "nothing was queued");
    }

    @Test
    void wrongPasswordIsRefusedWith535() throws Exception {
        int queued = home.snapshot().size();
        JsonNode r = send("submission", "starttls", "plain", "not the password", message("wrong password", true));
        assertEquals(535, r.path("auth_error").path("code").asInt(), r.toString());
        assertTrue(r.path("auth_error").path("message").asText().startsWith("5.7.8 "), r.toString());
        assertFalse(r.has("mail"), r.toString());
        assertEquals(queued, home.snapshot().size(), "nothing was queued");
    }

    @Test
    void aClientLimitedToTls11IsRefusedOnEveryTlsPort() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (String[] port : new String[][] {{"submission", "starttls"}, {"submissions", "implicit"},
                {"mx", "starttls"}}) {
            JsonNode r = Smtplib.run(home.dir(), "tls11", "--port", String.valueOf(server.port(port[0])), "--tls", port[1],
                    "--cert", home.tlsCertificate().toString(), "--key", home.tlsKey().toString());
            // the control: this OpenSSL speaks TLS 1.1 with the same key to a local server that allows it
            // a machine whose OpenSSL cannot do TLS 1.1 at all fails here rather than pass without proof
            assertTrue(r.path("control").path("ok").asBoolean(),
                    "this machine's OpenSSL cannot negotiate TLS 1.1 even with itself, so a refusal would prove"
                            + " nothing: " + r);
            assertTrue(r.path("refused").asBoolean(), port[0] + " accepted a TLS 1.1 client: " + r);
            // the server itself refused the version, with a protocol_version alert (RFC 8446 6.2)
            assertEquals("TLSV1_ALERT_PROTOCOL_VERSION", r.path("reason").asText(), port[0] + ": " + r);
            outcomes.add(port[0] + ": " + r.path("error").asText());
        }
        System.out.println("TLS 1.1 refused: " + outcomes);
    }

    private static JsonNode send(String role, String tls, String auth, String password, byte[] original,
                                 String... more) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, original);
        List<String> args = new ArrayList<>(List.of("send", "--port", String.valueOf(server.port(role)), "--tls", tls,
                "--auth", auth, "--user", USER, "--password", password, "--sender", USER, "--rcpt", USER,
                "--message", file.toString()));
        args.addAll(List.of(more));
        return Smtplib.run(home.dir(), args.toArray(String[]::new));
    }


    private static String queuedId(JsonNode r) {
        assertEquals(250, r.path("data").get(0).asInt(), "end of DATA: " + r);
        return Queued.idIn("250 " + r.path("data").get(1).asText());
    }

    /** A message with CRLF line ends and a line that starts with a dot, which smtplib must stuff. */
    private static byte[] message(String subject, boolean withIdAndDate) {
        String headers = "From: <" + USER + ">\r\nTo: <" + USER + ">\r\nSubject: " + subject + "\r\n"
                + (withIdAndDate ? "Message-ID: <" + System.nanoTime() + "@python.e2e.test>\r\n"
                + "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n" : "");
        String body = "Hello from smtplib.\r\n.a line that starts with a dot\r\n..and one with two\r\nbye\r\n";
        return (headers + "\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
