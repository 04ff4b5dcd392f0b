package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code petrel serve --log-format json} and {@code --log-level}, as a real server process writes its log. */
class LogFormatTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration WAIT = Duration.ofSeconds(60);
    // every line a JSON object with a time and a level, as Python's json module reads it; prints the count
    private static final String CHECK = """
            import json, sys
            count = 0
            for path in sys.argv[1:]:
                for line in open(path, encoding="utf-8"):
                    o = json.loads(line)
                    assert isinstance(o, dict) and isinstance(o["time"], str), line
                    assert o["level"] in ("error", "warning", "info", "debug"), line
                    count += 1
            print(count)
            """;

    @Test
    void jsonLogsHaveOneObjectPerLineWithTheFieldsOfTheKeyValueLines() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("json"));
        String id;
        try (ServerProcess server = ServerProcess.start(home, ServerProcess.JVM_OPTIONS, Map.of(),
                List.of("--log-format", "json"))) {
            id = sendOne(server.port("mx"));
            Poll.until(WAIT, "the queued event in the log", () -> server.log().contains("\"event\":\"queued\"") ? true
                    : null);
            server.signal("TERM");
            assertEquals(0, server.awaitExit(WAIT), server.log());
        }
        Path out = home.dir().resolve("server-" + lastStart(home) + ".out");
        Path err = out.resolveSibling(out.getFileName().toString().replace(".out", ".err"));
        Programs.Result python = Programs.run(home.dir(), "python3 json check",
                List.of("python3", "-c", CHECK, out.toString(), err.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, python.exitCode(), python.describe());
        List<String> lines = new ArrayList<>(Files.readAllLines(out));
        lines.addAll(Files.readAllLines(err));
        assertEquals(lines.size(), Integer.parseInt(python.stdout().strip()), "every line of both streams is JSON");

        JsonNode queued = event(out, "queued");
        assertEquals(id, queued.get("id").asText());
        assertEquals("<alice@remote.test>", queued.get("from").asText());
        assertEquals("1", queued.get("nrcpt").asText());
        assertEquals("info", queued.get("level").asText());
        assertTrue(queued.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z"), queued.toString());
        assertTrue(Files.readString(out).contains("\"message\":\"petrel: stopped\""), "prose lines are messages");
        // Jetty's own lines (SLF4J) go to standard error, at the level SLF4J gave them
        assertTrue(Files.readString(err).contains("\"level\":\"info\",\"message\":\"[main] INFO org.eclipse.jetty"),
                Files.readString(err));
    }

    @Test
    void atLevelWarningTheInfoLinesOfPetrelAndOfItsLibrariesAreLeftOut() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("warning"));
        // nothing on standard output says where the server listens at this level: the test picks the ports
        List<Integer> ports = home.fixPorts();
        Path out = home.dir().resolve("warning.out");
        Path err = home.dir().resolve("warning.err");
        Process server = new ProcessBuilder(Programs.petrel(ServerProcess.JVM_OPTIONS, List.of("serve", "--config",
                home.config().toString(), "--log-level", "warning"))).directory(home.dir().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            Poll.until(ServerProcess.START_TIMEOUT, "the mx port to answer", () -> answers(ports.get(0)) ? true : null);
            sendOne(ports.get(0));
            Poll.until(WAIT, "the message in the queue", () -> home.snapshot().size() == 1 ? true : null);
            server.destroy();
            assertTrue(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the server stops at SIGTERM");
            assertEquals(0, server.exitValue(), Programs.read(err));
        } finally {
            Programs.stop(server);
        }
        assertEquals("", Programs.read(out), "the events and the server's own lines are info");
        assertTrue(Files.readAllLines(err).stream().noneMatch(l -> l.contains(" INFO ")), Programs.read(err));
    }

    private static boolean answers(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aLogLevelThatDoesNotExistStopsServeWithExitOne() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("bad-level"));
        Programs.Result r = home.petrel(null, "serve", "--log-level", "loud");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("petrel: --log-level: expected error, warning, info or debug, got \"loud\"\n", r.stderr());
        Programs.Result f = home.petrel(null, "serve", "--log-format", "xml");
        assertEquals(1, f.exitCode(), f.describe());
        assertEquals("petrel: --log-format: expected key=value or json, got \"xml\"\n", f.stderr());
    }

    private static String sendOne(int port) throws Exception {
        try (SmtpLine smtp = SmtpLine.connect(port)) {
            assertTrue(smtp.reply().startsWith("220 "));
            assertTrue(smtp.command("EHLO client.test").startsWith("250"));
            assertTrue(smtp.command("MAIL FROM:<alice@remote.test>").startsWith("250"));
            assertTrue(smtp.command("RCPT TO:<postmaster@localhost>").startsWith("250"));
            assertTrue(smtp.command("DATA").startsWith("354"));
            smtp.send("Subject: json\r\n\r\nhello\r\n");
            String queued = smtp.command(".");
            assertTrue(queued.startsWith("250 2.0.0 Ok: queued as "), queued);
            return queued.substring("250 2.0.0 Ok: queued as ".length()).strip();
        }
    }

    private static JsonNode event(Path log, String name) throws Exception {
        for (String line : Files.readAllLines(log)) {
            JsonNode node = new ObjectMapper().readTree(line);
            if (node.path("event").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no " + name + " event in " + log);
    }

    // the number ServerProcess gave this home's last start (server-N.out)
    private static int lastStart(PetrelHome home) throws Exception {
        try (var files = Files.list(home.dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("server-\\d+\\.out"))
                    .mapToInt(n -> Integer.parseInt(n.replaceAll("\\D", ""))).max().orElseThrow();
        }
    }
}
