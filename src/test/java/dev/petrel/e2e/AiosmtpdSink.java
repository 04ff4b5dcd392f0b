package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * src/test/resources/e2e/aiosmtpd_sink.py (Python's aiosmtpd) listening on 127.0.0.2 and a free port, keeping
 * what it takes in a folder: the messages, its refusals, and who sent each message ({@code peers.log}).
 */
final class AiosmtpdSink implements AutoCloseable {

    private static final String PYTHON = "/usr/bin/python3";

    final Path dir;
    final int port;
    private final Process process;

    private AiosmtpdSink(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Started and listening; clients from the {@code slowPeers} addresses are answered 421 at MAIL. */
    static AiosmtpdSink start(Path dir, String... slowPeers) throws Exception {
        return start("aiosmtpd_sink.py", dir, slowPeers);
    }

    /** Another aiosmtpd script of src/test/resources/e2e, taking HOST PORT FOLDER and then {@code more}. */
    static AiosmtpdSink start(String script, Path dir, String... more) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, Programs.resource(script).toString(),
                "127.0.0.2", String.valueOf(port), dir.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine(), "aiosmtpd did not start (python3-aiosmtpd installed?): "
                + Files.readString(dir.resolve("stderr")));
        return new AiosmtpdSink(dir, port, process);
    }

    /** The lines of peers.log so far: "accepted PEER EHLO-NAME RCPT..." and "refused PEER EHLO-NAME". */
    List<String> peers() throws java.io.IOException {
        Path log = dir.resolve("peers.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
