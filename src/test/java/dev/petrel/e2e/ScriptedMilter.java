package dev.petrel.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The scripted milter filter of src/test/resources/milter/scripted_milter.py, started on a free loopback port;
 * it ends when its standard input closes (and is killed if it does not).
 */
final class ScriptedMilter implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ScriptedMilter(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ScriptedMilter start(Path dir) throws IOException, URISyntaxException {
        Path script = Path.of(Objects.requireNonNull(ScriptedMilter.class.getResource("/milter/scripted_milter.py"))
                .toURI());
        Path log = dir.resolve("packets.log");
        Files.createFile(log);
        Process p = new ProcessBuilder("python3", script.toString(), log.toString())
                .redirectError(dir.resolve("stderr.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String first = out.readLine();
        if (first == null) {
            p.destroyForcibly();
            throw new IOException("the scripted milter did not start: " + Files.readString(dir.resolve("stderr.log")));
        }
        return new ScriptedMilter(p, Integer.parseInt(first.strip()), log);
    }

    int port() {
        return port;
    }

    /** Every packet received so far, as "CODE HEXDATA" (without the connection's number). */
    List<String> packets() throws IOException {
        return Files.readAllLines(log).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // gone already
        }
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
