package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's first send with curl, run by bash as it is written there, on a fresh installation: {@code bin/petrel}
 * is Petrel's command line on a configuration of its own, and the HTTP port the README names is one this test picks
 * free.
 */
class SendApiReadmeTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern BLOCK = Pattern.compile("### A first send with curl\n.*?```sh\n(.*?)```",
            Pattern.DOTALL);

    private Path pidFile;

    @AfterEach
    void stopServer() throws Exception {
        if (pidFile != null && Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().join();
            });
        }
    }

    @Test
    void theFirstSendOfTheReadmeSendsOnAFreshInstallation() throws Exception {
        Matcher m = BLOCK.matcher(Files.readString(Path.of("README.md")));
        assertTrue(m.find(), "README.md has a first send with curl");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path dir = scratch.newFolder("readme");
        PetrelHome home = PetrelHome.create(dir);
        Files.writeString(home.config(), Files.readString(home.config())
                .replace("address = \"127.0.0.1:0\"\n\n# mail queued", "address = \"127.0.0.1:" + port + "\"\n\n# mail queued"));
        pidFile = dir.resolve("serve.pid");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        List<String> cli = new ArrayList<>(Programs.petrelCli(List.of()));
        String command = String.join(" ", cli.stream().map(SendApiReadmeTest::quoted).toList());
        Path petrel = bin.resolve("petrel");
        Files.writeString(petrel, "#!/bin/bash\n[ \"$1\" = serve ] && echo $$ > " + quoted(pidFile.toString()) + "\n"
                + "exec " + command + " \"$@\" --config " + quoted(home.config().toString()) + "\n");
        Files.setPosixFilePermissions(petrel, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = "set -e\n" + m.group(1).replace("127.0.0.1:8025", "127.0.0.1:" + port)
                .replace("; do sleep 1; done", "; do sleep 1; [ $((n+=1)) -lt 90 ]; done");
        Programs.Result r = Programs.run(dir, "readme first send", List.of("bash", "-c", script), null,
                java.time.Duration.ofSeconds(180));
        assertEquals(0, r.exitCode(), r.describe());
        String out = r.stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
        JsonNode answer = SendApiHome.JSON.readTree(out);
        String id = answer.path("message_id").asText();
        assertEquals("you@example.org", answer.path("recipients").path(0).path("address").asText(), r.describe());
        assertEquals("accepted", answer.path("recipients").path(0).path("status").asText(), r.describe());
        assertEquals(id, answer.path("recipients").path(0).path("message_id").asText());
        assertTrue(r.stdout().contains("queued id=" + id + " from=<hello@acme.example>"), r.describe());
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
