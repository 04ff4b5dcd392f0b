package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Petrel under systemd: dist/petrel.service as {@code systemd-analyze} (Debian's systemd package) reads it, and
 * {@code petrel serve}'s sd_notify messages as a Unix datagram socket of Python's receives them, from a real
 * server process.
 */
class SystemdTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path UNIT = Path.of("dist/petrel.service").toAbsolutePath();
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for petrel\\.service: (\\d+\\.\\d)");

    @Test
    void theUnitFilePassesSystemdAnalyzeVerifyWithoutAWord() throws Exception {
        Path unit = installedUnit(scratch.newFolder("verify"));
        Programs.Result r = Programs.run(unit.getParent(), "systemd-analyze verify",
                List.of("systemd-analyze", "verify", unit.toString()), null, Programs.CLIENT_TIMEOUT);
        // an unknown or misspelt key is only a warning (exit 0): the output must be empty too
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("", r.output(), r.describe());
    }

    @Test
    void theUnitFileIsHardenedAsSystemdAnalyzeSecurityRatesIt() throws Exception {
        Path unit = installedUnit(scratch.newFolder("security"));
        Programs.Result r = Programs.run(unit.getParent(), "systemd-analyze security",
                List.of("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString()), null,
                Programs.CLIENT_TIMEOUT);
        Matcher m = EXPOSURE.matcher(r.output());
        assertTrue(m.find(), r.describe());
        // 10 is a service with no hardening at all; 2 and below is what systemd calls OK
        assertTrue(Double.parseDouble(m.group(1)) <= 2.0, r.describe());
        String unitText = Files.readString(UNIT);
        for (String line : List.of("Type=notify", "User=petrel", "ProtectSystem=strict", "ReadWritePaths=/var/lib/petrel",
                "NoNewPrivileges=yes", "PrivateTmp=yes", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE", "ExecReload=/bin/kill -HUP $MAINPID", "WatchdogSec=30s")) {
            assertTrue(unitText.lines().anyMatch(line::equals), "dist/petrel.service has no line " + line);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void serveSaysReadyOnlyOnceItsPortsAnswerAndStoppingAtSigterm(boolean abstractName) throws Exception {
        Path dir = scratch.newFolder(abstractName ? "notify-abstract" : "notify-path");
        PetrelHome home = PetrelHome.create(dir);
        List<Integer> ports = home.fixPorts();
        String socket = abstractName ? "@petrel-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                : dir.resolve("notify.sock").toString();
        Path received = dir.resolve("notify.jsonl");
        Process receiver = receiver(socket, ports, received);
        ServerProcess server = null;
        try {
            Poll.until(WAIT, "the receiver to bind " + socket, () -> lines(received).isEmpty() ? null : true);
            server = ServerProcess.start(home, ServerProcess.JVM_OPTIONS, Map.of("NOTIFY_SOCKET", socket), List.of());
            JsonNode ready = Poll.until(WAIT, "READY=1 in " + received, () -> message(received, "READY=1"));
            List<Integer> answering = new ArrayList<>();
            ready.get("answering").forEach(p -> answering.add(p.asInt()));
            assertEquals(ports, answering,
                    "every listener answers when READY=1 comes: " + ready);
            assertTrue(fields(ready).contains("MAINPID=" + server.pid()), ready.toString());
            assertTrue(fields(ready).stream().anyMatch(f -> f.matches("STATUS=data in .*, 0 message\\(s\\) in the queue")),
                    ready.toString());

            server.signal("TERM");
            JsonNode stopping = Poll.until(WAIT, "STOPPING=1 in " + received, () -> message(received, "STOPPING=1"));
            assertTrue(fields(stopping).stream().anyMatch(f -> f.matches(
                    "STATUS=stopping: signal TERM; draining \\d+ session\\(s\\), at most 30s")), stopping.toString());
            assertEquals(0, server.awaitExit(WAIT), server.log());
            assertEquals(1, lines(received).stream().filter(l -> l.contains("READY=1")).count(), "one READY=1");
        } finally {
            if (server != null) {
                server.close();
            }
            Programs.stop(receiver);
        }
    }

    @Test
    void serveTellsTheWatchdogItIsAliveAndFallsSilentWhileItHangs() throws Exception {
        Path dir = scratch.newFolder("watchdog");
        PetrelHome home = PetrelHome.create(dir);
        List<Integer> ports = home.fixPorts();
        String socket = dir.resolve("notify.sock").toString();
        Path received = dir.resolve("notify.jsonl");
        Process receiver = receiver(socket, ports, received);
        ServerProcess server = null;
        try {
            Poll.until(WAIT, "the receiver to bind " + socket, () -> lines(received).isEmpty() ? null : true);
            // WatchdogSec=0.6s as systemd passes it: a ping every 0.3 s
            server = ServerProcess.start(home, ServerProcess.JVM_OPTIONS,
                    Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "600000"), List.of());
            Poll.until(WAIT, "three WATCHDOG=1 in " + received, () -> pings(received) >= 3 ? true : null);
            server.signal("STOP"); // hung, as far as anyone outside can tell
            Thread.sleep(500); // a ping on its way when the signal came may still arrive
            long hung = pings(received);
            Thread.sleep(2000);
            assertEquals(hung, pings(received), "a stopped server tells the watchdog nothing");
            server.signal("CONT");
            Poll.until(WAIT, "WATCHDOG=1 again after SIGCONT", () -> pings(received) > hung ? true : null);
            server.signal("TERM");
            assertEquals(0, server.awaitExit(WAIT), server.log());
        } finally {
            if (server != null) {
                server.close();
            }
            Programs.stop(receiver);
        }
    }

    private static long pings(Path received) throws IOException {
        return lines(received).stream().filter(l -> l.contains("\"WATCHDOG=1\"")).count();
    }

    @Test
    void withoutNotifySocketServeSendsNothingAndSaysNothingAboutIt() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("no-notify"));
        try (ServerProcess server = home.start()) {
            server.stop();
            assertTrue(!server.log().contains("NOTIFY_SOCKET"), server.log());
        }
    }

    // the unit as installed, but starting this repository's launcher: verify checks that ExecStart exists
    private static Path installedUnit(Path dir) throws IOException {
        Path unit = dir.resolve("petrel.service");
        Files.writeString(unit, Files.readString(UNIT).replace("ExecStart=/opt/petrel/bin/petrel ",
                "ExecStart=" + Path.of("bin/petrel").toAbsolutePath() + " "));
        return unit;
    }

    private static Process receiver(String socket, List<Integer> ports, Path out) throws IOException {
        Path script = Path.of("src/test/resources/systemd/notify-receiver.py").toAbsolutePath();
        String list = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        return new ProcessBuilder("python3", script.toString(), socket, list, out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolveSibling("receiver.log").toFile()).start();
    }

    private static JsonNode message(Path received, String field) throws IOException {
        for (String line : lines(received)) {
            JsonNode node = new ObjectMapper().readTree(line);
            if (node.has("fields") && fields(node).contains(field)) {
                return node;
            }
        }
        return null;
    }

    private static List<String> fields(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.get("fields").forEach(f -> out.add(f.asText()));
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
