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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private dnsmasq on 127.0.0.1 and a free port, serving only the records it is given: no resolv.conf, no
 * hosts file, no upstream server. Names under the {@code local} zones that it does not know are NXDOMAIN.
 */
public final class Dnsmasq implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
    private static final Duration READY_DEADLINE = Duration.ofSeconds(10);

    private final Path dir;
    private final Process process;
    private final int port;

    public Dnsmasq(String readinessName, List<String> records) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install dnsmasq-base (.ci/run does)");
        }
        this.dir = Files.createTempDirectory("petrel-dnsmasq");
        this.port = freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--keep-in-foreground", "--port=" + port,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-queries", "--log-facility=-"));
        if ("root".equals(System.getProperty("user.name"))) {
            // started as root, dnsmasq would otherwise switch to the user nobody
            command.add("--user=root");
        }
        command.addAll(records);
        this.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        awaitReady(readinessName);
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    // a port free for both UDP and TCP, as dnsmasq and unbound bind both
    static int freePort() throws IOException {
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

    private void awaitReady(String name) throws IOException, InterruptedException {
        DnsjavaResolver probe = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(address()))
                .withTimeout(Duration.ofMillis(200)).withRetries(0).withCacheSize(0), Clock.systemUTC());
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dnsmasq exited with " + process.exitValue() + ": " + log());
            }
            if (probe.lookupAddresses(name) instanceof Lookup.Found) {
                return;
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("dnsmasq did not answer within " + READY_DEADLINE + ": " + log());
    }

    String log() throws IOException {
        Path log = dir.resolve("dnsmasq.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
