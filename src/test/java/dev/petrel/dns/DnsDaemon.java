package dev.petrel.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A DNS server process that a test starts on 127.0.0.1 and a free port (dnsmasq, unbound): its private folder, its
 * log, waiting until it answers, and stopping it and removing the folder.
 */
final class DnsDaemon implements AutoCloseable {

    private static final Duration READY_DEADLINE = Duration.ofSeconds(10);

    final Path dir;
    final int port;
    private final String name;
    private Process process;

    DnsDaemon(String name) throws IOException {
        this.name = name;
        this.dir = Files.createTempDirectory("petrel-" + name);
        this.port = freePort();
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Runs {@code command}, its output to the log, and waits until it answers for {@code readinessName}. */
    void start(List<String> command, String readinessName) throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        awaitReady(readinessName);
    }

    // a port free for both UDP and TCP, as DNS servers bind both
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                try (ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                    return tcp.getLocalPort();
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port on 127.0.0.1");
    }

    private void awaitReady(String readinessName) throws IOException, InterruptedException {
        DnsjavaResolver probe = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(address()))
                .withTimeout(Duration.ofMillis(200)).withRetries(0).withCacheSize(0), Clock.systemUTC());
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + log());
            }
            if (probe.lookupAddresses(readinessName) instanceof Lookup.Found) {
                return;
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException(name + " did not answer within " + READY_DEADLINE + ": " + log());
    }

    String log() throws IOException {
        Path log = dir.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
