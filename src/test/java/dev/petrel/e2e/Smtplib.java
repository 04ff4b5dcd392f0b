package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs src/test/resources/e2e/smtp_client.py (Python's smtplib) and reads the JSON it prints. */
final class Smtplib {

    private Smtplib() {}

    static JsonNode run(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Programs.require("python3", "python3"),
                Programs.resource("smtp_client.py").toString()));
        command.addAll(List.of(args));
        Programs.Result r = Programs.run(dir, "python " + args[0], command, null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return new ObjectMapper().readTree(r.stdout());
    }

    /**
     * Sends {@code count} copies of a short message from {@code user} to {@code rcpt} through a submission port,
     * after STARTTLS and AUTH PLAIN, in one session; what smtplib heard of each.
     */
    static JsonNode submit(Path dir, int port, String user, String password, String rcpt, int count)
            throws Exception {
        Path file = Files.createTempFile(dir, "message-", ".eml");
        Files.writeString(file, "From: <" + user + ">\r\nTo: <" + rcpt + ">\r\nSubject: submitted\r\n\r\nhello\r\n");
        return run(dir, "send", "--port", String.valueOf(port), "--tls", "starttls", "--auth", "plain", "--user",
                user, "--password", password, "--sender", user, "--rcpt", rcpt, "--message", file.toString(),
                "--count", String.valueOf(count));
    }
}
