package dev.petrel.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private dnsmasq on 127.0.0.1 and a free port, serving only the records it is given: no resolv.conf, no
 * hosts file, no upstream server. Names under the {@code local} zones that it does not know are NXDOMAIN.
 */
public final class Dnsmasq implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final DnsDaemon daemon;

    public Dnsmasq(String readinessName, List<String> records) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install dnsmasq-base (.ci/run does)");
        }
        this.daemon = new DnsDaemon("dnsmasq");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--keep-in-foreground",
                "--port=" + daemon.port, "--listen-address=127.0.0.1", "--bind-interfaces", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--pid-file=" + daemon.dir.resolve("dnsmasq.pid"), "--log-queries",
                "--log-facility=-"));
        if ("root".equals(System.getProperty("user.name"))) {
            // started as root, dnsmasq would otherwise switch to the user nobody
            command.add("--user=root");
        }
        command.addAll(records);
        daemon.start(command, readinessName);
    }

    public String address() {
        return daemon.address();
    }

    String log() throws IOException {
        return daemon.log();
    }

    @Override
    public void close() throws IOException {
        daemon.close();
    }
}
