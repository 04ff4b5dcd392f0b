package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A remote MX that answers RCPT as the test tells it (src/test/resources/e2e/aiosmtpd_sink.py, Python's aiosmtpd
 * on 127.0.0.2): "550 5.1.1" for an address that does not exist, "451" for one that is busy, 250 for the rest.
 */
final class BouncingSink implements AutoCloseable {

    static final String ADDRESS = "127.0.0.2";
    private static final String PYTHON = "/usr/bin/python3";

    private final Path dir;
    private final Process process;
    private final int port;
    private final Map<String, String> replies = new LinkedHashMap<>();

    private BouncingSink(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static BouncingSink start(Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(PYTHON, Programs.resource("aiosmtpd_sink.py").toString(), ADDRESS,
                String.valueOf(port), dir.toString()).redirectError(dir.resolve("stderr").toFile()).start();
        BouncingSink sink = new BouncingSink(dir, p, port);
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(ready)) {
            sink.close();
        }
        assertEquals("ready", ready, "aiosmtpd did not start (python3-aiosmtpd installed?): "
                + Files.readString(dir.resolve("stderr")));
        return sink;
    }

    int port() {
        return port;
    }

    /** From now on RCPT TO:&lt;address&gt; is answered with {@code reply}; null: 250 again. */
    synchronized void answer(String address, String reply) throws IOException {
        if (reply == null) {
            replies.remove(address);
        } else {
            replies.put(address, reply);
        }
        StringBuilder text = new StringBuilder();
        replies.forEach((a, r) -> text.append(a).append(' ').append(r).append('\n'));
        Path temporary = dir.resolve("replies.tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, dir.resolve("replies"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Each RCPT the sink was sent and its answer, one line each: "ADDRESS REPLY". */
    List<String> rcpts() throws IOException {
        Path log = dir.resolve("rcpts.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
