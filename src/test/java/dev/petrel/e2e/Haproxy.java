package dev.petrel.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debian's HAProxy in TCP mode on 127.0.0.1, in the foreground: one frontend per named server line, each on a
 * free port of its own. Started by the tests, stopped by {@link #close}.
 */
final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Map<String, Integer> ports;

    private Haproxy(Process process, Map<String, Integer> ports) {
        this.process = process;
        this.ports = ports;
    }

    /**
     * Started and listening. {@code servers} maps a frontend's name to the port on 127.0.0.1 it forwards to and the
     * options of its server line (such as {@code send-proxy-v2}, or {@code send-proxy source 127.0.0.7} to connect
     * from another address): {@code "2525 send-proxy"}.
     */
    static Haproxy start(Path dir, Map<String, String> servers) throws Exception {
        String haproxy = Programs.require("haproxy", "haproxy");
        StringBuilder config = new StringBuilder("""
                global
                    log stderr format raw local0 info
                defaults
                    mode tcp
                    log global
                    option tcplog
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                """);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map.Entry<String, String> s : servers.entrySet()) {
            int port = freePort();
            ports.put(s.getKey(), port);
            config.append("frontend ").append(s.getKey()).append("\n    bind 127.0.0.1:").append(port)
                    .append("\n    default_backend ").append(s.getKey()).append("_petrel\nbackend ").append(s.getKey())
                    .append("_petrel\n    server petrel 127.0.0.1:").append(s.getValue()).append('\n');
        }
        Path file = Files.writeString(dir.resolve("haproxy.cfg"), config);
        Process process = new ProcessBuilder(haproxy, "-db", "-f", file.toString())
                .redirectOutput(dir.resolve("haproxy.out").toFile()).redirectError(dir.resolve("haproxy.err").toFile())
                .start();
        Haproxy started = new Haproxy(process, ports);
        try {
            for (int port : ports.values()) {
                Poll.until(Duration.ofSeconds(30), "HAProxy listening on " + port + " (see " + dir + "/haproxy.err)",
                        () -> listening(port, process) ? Boolean.TRUE : null);
            }
            return started;
        } catch (Throwable t) {
            started.close();
            throw t;
        }
    }

    private static boolean listening(int port, Process process) {
        if (!process.isAlive()) {
            throw new AssertionError("haproxy exited with " + process.exitValue());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The port of the frontend named so. */
    int port(String frontend) {
        return ports.get(frontend);
    }

    @Override
    public void close() throws InterruptedException {
        Programs.stop(process);
    }
}
