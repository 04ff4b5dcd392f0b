package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's first sends, with curl and with Postmark's Node.js library, run by bash as they are written there, on
 * a fresh installation: {@code bin/petrel} is Petrel's command line on a configuration of its own, the HTTP port the
 * README names is one this test picks free, the wait for the server is bounded, and {@code npm install} links the
 * library {@link PostmarkLibrary} installed (the version the README names) instead of fetching it again.
 */
class SendApiReadmeTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern CURL = Pattern.compile("### A first send with curl\n.*?```sh\n(.*?)```\n.*?```sh\n"
            + "(.*?)```", Pattern.DOTALL);
    private static final Pattern POSTMARK = Pattern.compile("A first send with Postmark's own Node\\.js library.*?"
            + "```sh\n(.*?)```.*?```js\n(.*?)```.*?With curl:\n\n```sh\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ID = Pattern.compile("1M21BN97TM070T6");

    private Path pidFile;
    private int port;

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
        Matcher m = CURL.matcher(readme());
        assertTrue(m.find(), "README.md has a first send with curl");
        Path dir = install("readme");
        Programs.Result r = bash(dir, m.group(1) + "echo \"KEY=$KEY\"\n");
        JsonNode answer = lastJson(r);
        String id = answer.path("message_id").asText();
        assertEquals("you@example.org", answer.path("recipients").path(0).path("address").asText(), r.describe());
        assertEquals("accepted", answer.path("recipients").path(0).path("status").asText(), r.describe());
        assertEquals(id, answer.path("recipients").path(0).path("message_id").asText());
        logged(r, "queued id=" + id + " from=<hello@acme.example>");

        // then: the message's state and the tenant's events, with the id the answer gave
        String key = r.stdout().lines().filter(l -> l.startsWith("KEY=")).findFirst().orElseThrow().substring(4);
        Programs.Result then = bash(dir, "KEY=" + key + "\n" + ID.matcher(m.group(2)).replaceAll(id));
        List<JsonNode> answers = jsonLines(then);
        assertEquals(2, answers.size(), then.describe());
        assertEquals(id, answers.get(0).path("message_id").asText(), then.describe());
        assertEquals("you@example.org", answers.get(0).path("recipients").path(0).path("address").asText());
        assertEquals("message.queued", answers.get(1).path("events").path(0).path("type").asText(), then.describe());
        assertEquals(id, answers.get(1).path("events").path(0).path("message_id").asText(), then.describe());
    }

    @Test
    void thePostmarkFirstSendOfTheReadmeSendsOnAFreshInstallation() throws Exception {
        PostmarkLibrary library = PostmarkLibrary.install();
        Matcher m = POSTMARK.matcher(readme());
        assertTrue(m.find(), "README.md has a first send with Postmark's library, first-send.js and curl");
        Path dir = install("postmark");
        Files.writeString(dir.resolve("first-send.js"), m.group(2).replace("127.0.0.1:8025", "127.0.0.1:" + port));
        String lines = m.group(1).replace("npm install postmark@" + PostmarkLibrary.VERSION + "\n",
                "ln -s '" + library.script("node_modules") + "' node_modules\n");
        assertTrue(!lines.contains("npm install"), "the README installs postmark@" + PostmarkLibrary.VERSION);
        lines = lines.replace("node first-send.js", "'" + PostmarkLibrary.node() + "' first-send.js");
        Programs.Result r = bash(dir, lines + m.group(3));
        List<JsonNode> answers = jsonLines(r);
        assertEquals(2, answers.size(), r.describe());
        JsonNode library0 = answers.get(0);
        assertEquals(List.of("To", "SubmittedAt", "MessageID", "ErrorCode", "Message"), names(library0));
        assertEquals("Ann <ann@example.net>", library0.path("To").asText());
        assertEquals(0, library0.path("ErrorCode").asInt(-1), r.describe());
        logged(r, "queued id=" + library0.path("MessageID").asText() + " from=<app@example.com>");
        JsonNode curl = answers.get(1);
        assertEquals("ann@example.net, bob@example.net", curl.path("To").asText(), r.describe());
        assertEquals(0, curl.path("ErrorCode").asInt(-1), r.describe());
        logged(r, "queued id=" + curl.path("MessageID").asText() + " from=<app@example.com>");
    }

    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    /** A fresh installation in a folder of its own, its HTTP on a free port, with {@code bin/petrel}. */
    private Path install(String name) throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path dir = scratch.newFolder(name);
        PetrelHome home = PetrelHome.create(dir);
        Files.writeString(home.config(), Files.readString(home.config())
                .replace("address = \"127.0.0.1:0\"\n\n# mail queued", "address = \"127.0.0.1:" + port + "\"\n\n# mail queued"));
        pidFile = dir.resolve("serve.pid");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        List<String> cli = new ArrayList<>(Programs.petrelCli(List.of()));
        String command = String.join(" ", cli.stream().map(SendApiReadmeTest::quoted).toList());
        Scripts.executable(bin.resolve("petrel"), "#!/bin/bash\n[ \"$1\" = serve ] && echo $$ > "
                + quoted(pidFile.toString()) + "\nexec " + command + " \"$@\" --config " + quoted(home.config().toString())
                + "\n");
        return dir;
    }

    /**
     * README lines run by bash: the port this test chose, the wait for the server at most 90 seconds, and curl
     * ending each answer with a line break (a .curlrc of the folder) so that each is a line of its own.
     */
    private Programs.Result bash(Path dir, String lines) throws Exception {
        Files.writeString(dir.resolve(".curlrc"), "write-out = \"\\n\"\n");
        String script = "set -e\nexport CURL_HOME=" + quoted(dir.toString()) + "\n"
                + lines.replace("127.0.0.1:8025", "127.0.0.1:" + port)
                .replace("; do sleep 1; done", "; do sleep 1; [ $((n+=1)) -lt 90 ]; done");
        Programs.Result r = Programs.run(dir, "readme", List.of("bash", "-c", script), null,
                java.time.Duration.ofSeconds(180));
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    /** The server started by the README's lines logs {@code line} to their output (a moment after it answered). */
    private static void logged(Programs.Result r, String line) throws Exception {
        Poll.until(java.time.Duration.ofSeconds(10), "\"" + line + "\" in " + r.stdoutFile(),
                () -> Files.readString(r.stdoutFile()).contains(line) ? line : null);
    }

    private static List<JsonNode> jsonLines(Programs.Result r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdout().lines().filter(l -> l.startsWith("{")).toList()) {
            out.add(SendApiHome.JSON.readTree(line));
        }
        return out;
    }

    private static JsonNode lastJson(Programs.Result r) throws Exception {
        List<JsonNode> all = jsonLines(r);
        assertTrue(!all.isEmpty(), r.describe());
        return all.getLast();
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
