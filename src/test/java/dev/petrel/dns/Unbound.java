package dev.petrel.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A private validating resolver: Debian's unbound on 127.0.0.1 and a free port, serving test zones from its own
 * auth-zones and validating them as it would answers from the Internet. Signed zones are signed here with
 * ldns-keygen and ldns-signzone (ldnsutils), and their keys given to unbound as trust anchors; other zones have
 * none, so their answers are insecure. Nothing is asked of any other server.
 */
public final class Unbound implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/unbound");

    /**
     * One zone: its records in zone-file form (absolute names), and whether to sign it. {@code afterSigning} may
     * change the signed text, to make an answer bogus.
     */
    public record Zone(String name, List<String> records, boolean signed, UnaryOperator<String> afterSigning) {

        public static Zone signed(String name, List<String> records) {
            return new Zone(name, records, true, UnaryOperator.identity());
        }

        public static Zone unsigned(String name, List<String> records) {
            return new Zone(name, records, false, UnaryOperator.identity());
        }

        public Zone tampered(UnaryOperator<String> change) {
            return new Zone(name, records, signed, change);
        }
    }

    private final DnsDaemon daemon;
    private final Path dir;

    /** Starts unbound with these zones, and waits until it answers for {@code readinessName}'s addresses. */
    public Unbound(List<Zone> zones, String readinessName) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install unbound and ldnsutils (bin/test does)");
        }
        this.daemon = new DnsDaemon("unbound");
        this.dir = daemon.dir;
        StringBuilder anchors = new StringBuilder();
        StringBuilder authZones = new StringBuilder();
        for (Zone zone : zones) {
            Path file = write(zone);
            if (zone.signed()) {
                anchors.append("  trust-anchor-file: \"").append(sign(zone, file)).append("\"\n");
                file = Path.of(file + ".signed");
                Files.writeString(file, zone.afterSigning().apply(Files.readString(file)));
            }
            authZones.append("auth-zone:\n  name: \"").append(zone.name()).append(".\"\n  zonefile: \"").append(file)
                    .append("\"\n  for-downstream: no\n  for-upstream: yes\n  fallback-enabled: no\n");
        }
        Path conf = dir.resolve("unbound.conf");
        Files.writeString(conf, config(anchors.toString()) + authZones);
        daemon.start(List.of(BINARY.toString(), "-d", "-c", conf.toString()), readinessName);
    }

    public String address() {
        return daemon.address();
    }

    private String config(String anchors) {
        // RFC 6761 6.2: unbound answers names under test. itself unless told not to
        return "server:\n  interface: 127.0.0.1@" + daemon.port + "\n  port: " + daemon.port + "\n  do-daemonize: no\n"
                + "  username: \"\"\n  chroot: \"\"\n  directory: \"" + dir + "\"\n  pidfile: \"\"\n  use-syslog: no\n"
                + "  logfile: \"\"\n  verbosity: 1\n  val-log-level: 2\n  do-ip6: no\n"
                + "  module-config: \"validator iterator\"\n  qname-minimisation: no\n  do-not-query-localhost: no\n"
                + "  local-zone: \"test.\" nodefault\n  num-threads: 1\n" + anchors
                + "remote-control:\n  control-enable: no\n";
    }

    private Path write(Zone zone) throws IOException {
        String origin = zone.name() + ".";
        List<String> lines = new ArrayList<>(List.of("$TTL 300",
                origin + " IN SOA ns." + origin + " hostmaster." + origin + " 1 3600 600 86400 300",
                origin + " IN NS ns." + origin, "ns." + origin + " IN A 127.0.0.1"));
        lines.addAll(zone.records());
        Path file = dir.resolve(zone.name() + ".zone");
        Files.write(file, lines, StandardCharsets.US_ASCII);
        return file;
    }

    // one ECDSA P-256 key (RFC 6605) as both KSK and ZSK; its DNSKEY is the trust anchor
    private Path sign(Zone zone, Path file) throws IOException, InterruptedException {
        String key = run(List.of("ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone.name())).strip();
        run(List.of("ldns-signzone", file.toString(), key));
        return dir.resolve(key + ".key");
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }

    public String log() throws IOException {
        return daemon.log();
    }

    @Override
    public void close() throws IOException {
        daemon.close();
    }
}
