package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code petrel serve} as a real process on its own JVM, as an operator runs it. Its ports are the ones it
 * prints ("petrel: listening on 127.0.0.1:PORT role=mx"), since every listener binds port 0.
 */
final class ServerProcess implements AutoCloseable {

    /** How long start-up may take: a JVM, the journal's recovery and, the first time, an RSA key pair. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern LISTENING =
            Pattern.compile("(?:^|\"message\":\")petrel: listening on 127\\.0\\.0\\.1:(\\d+) role=(\\w+)",
                    Pattern.MULTILINE);
    // the line printed once every listener is bound and the queue is open (a key=value line, or a JSON one's message)
    private static final Pattern READY =
            Pattern.compile("(?:^|\"message\":\")petrel: data in [^\n]*, (\\d+) message\\(s\\) in the queue",
                    Pattern.MULTILINE);
    static final List<String> JVM_OPTIONS = List.of("-Xmx512m");
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Map<String, Integer> ports;
    private final int queuedAtStart;

    private ServerProcess(Process process, Path stdout, Path stderr, Map<String, Integer> ports, int queuedAtStart) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.ports = ports;
        this.queuedAtStart = queuedAtStart;
    }

    static ServerProcess start(PetrelHome home) throws Exception {
        return start(home, JVM_OPTIONS);
    }

    /** With these JVM options instead of the tests' own (the launcher's defaults, say). */
    static ServerProcess start(PetrelHome home, List<String> jvmOptions) throws Exception {
        return start(home, jvmOptions, Map.of(), List.of());
    }

    /** With more environment variables ({@code NOTIFY_SOCKET}) and more options after {@code serve}. */
    static ServerProcess start(PetrelHome home, List<String> jvmOptions, Map<String, String> environment,
                               List<String> serveOptions) throws Exception {
        int n = STARTS.incrementAndGet();
        Path out = home.dir().resolve("server-" + n + ".out");
        Path err = home.dir().resolve("server-" + n + ".err");
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--config", home.config().toString()));
        args.addAll(serveOptions);
        ProcessBuilder builder = new ProcessBuilder(Programs.petrel(jvmOptions, args));
        builder.environment().putAll(environment);
        Process process = builder
                .directory(home.dir().toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        try {
            Matcher ready = Poll.until(START_TIMEOUT, "the server's 'data in' line in " + out, () -> {
                Matcher m = READY.matcher(Programs.read(out));
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive()) {
                    fail("the server exited with " + process.exitValue() + " before it was ready\n--- stdout\n"
                            + Programs.read(out) + "--- stderr\n" + Programs.read(err));
                }
                return null;
            });
            Map<String, Integer> ports = new HashMap<>();
            Matcher m = LISTENING.matcher(Programs.read(out));
            while (m.find()) {
                ports.put(m.group(2), Integer.parseInt(m.group(1)));
            }
            return new ServerProcess(process, out, err, ports, Integer.parseInt(ready.group(1)));
        } catch (Throwable t) {
            Programs.stop(process);
            throw t;
        }
    }

    int port(String role) {
        Integer port = ports.get(role);
        assertTrue(port != null && port > 0, "no " + role + " listener in " + stdout + ": " + ports);
        return port;
    }

    /** The number of messages the server found in the queue when it started. */
    int queuedAtStart() {
        return queuedAtStart;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the server without warning, as a power cut or the OOM killer would: SIGKILL, so no shutdown hook,
     * no flush, no close. Returns the exit status, 128 + 9 when SIGKILL was what ended it.
     */
    int killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("server " + process.pid() + " survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /** Stops the server the polite way (SIGTERM: it drains its sessions, closes the queue and exits 0). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("server " + process.pid() + " ignored SIGTERM for 30 s");
        }
    }

    /** Sends the server a signal by name ("TERM", "HUP"), as an operator's {@code kill -s NAME PID} does. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /** Waits, boundedly, for the server to end by itself; returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("server " + process.pid() + " still runs after " + timeout);
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Programs.read(stdout) + Programs.read(stderr);
    }

    Path logFile() {
        return stdout;
    }

    @Override
    public void close() throws InterruptedException {
        Programs.stop(process);
    }
}
