package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}
