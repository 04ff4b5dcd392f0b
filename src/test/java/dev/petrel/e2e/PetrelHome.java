package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.QueueId;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Petrel installation in a folder: its configuration file (every listener on port 0 of 127.0.0.1), its
 * data folder, and its command line run as separate processes against them.
 */
final class PetrelHome {

    static final String HOSTNAME = "mx.e2e.test";
    /**
     * The Authentication-Results field on mail from elsewhere, as these servers write it: their DNS points at
     * nothing, so SPF and DMARC cannot be checked (temperror; DMARC none without a From), and the tests'
     * messages are neither signed nor sealed (RFC 8617: arc=none).
     */
    static final String RESULTS = "Authentication-Results: mx\\.e2e\\.test;\r\n\tspf=temperror \\([^)\r\n]*\\)"
            + " smtp\\.(?:mailfrom|helo)=[^;\r\n]+;\r\n\tdkim=none;\r\n"
            + "\tdmarc=(?:temperror|none)(?: \\([^)\r\n]*\\))?(?: header\\.from=[^\r\n]+)?;\r\n\tarc=none\r\n";
    private static final Pattern LISTED_ID = Pattern.compile("^([0-9A-Za-z]{8,32}) +\\d+ ", Pattern.MULTILINE);

    private final Path dir;
    private final Path config;
    private final Path dataDir;

    private PetrelHome(Path dir, Path config, Path dataDir) {
        this.dir = dir;
        this.config = config;
        this.dataDir = dataDir;
    }

    static PetrelHome create(Path dir) throws IOException {
        return create(dir, Map.of());
    }

    /** As {@link #create(Path)}, with more local domains delivered by the given transports ("lmtp:..."). */
    static PetrelHome create(Path dir, Map<String, String> transports) throws IOException {
        StringBuilder more = new StringBuilder();
        transports.forEach((domain, transport) -> more.append('"').append(domain).append("\" = \"").append(transport)
                .append("\"\n"));
        Path dataDir = dir.resolve("data").toAbsolutePath();
        Path config = dir.resolve("petrel.toml");
        Files.writeString(config, """
                hostname = "%s"
                data_dir = "%s"

                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"

                [[listeners]]
                address = "127.0.0.1:0"
                role = "submission"

                [[listeners]]
                address = "127.0.0.1:0"
                role = "submissions"

                [http]
                address = "127.0.0.1:0"

                # mail queued for other domains must never leave the machine: DNS and MX port point at nothing
                [dns]
                nameservers = ["127.0.0.1:9"]

                [delivery]
                remote_port = 9

                # and local mail stays queued for the tests to read: its mailbox server is not there either
                [local_delivery.transports]
                "localhost" = "lmtp:127.0.0.1:9"
                "%s" = "lmtp:127.0.0.1:9"
                """.formatted(HOSTNAME, dataDir, HOSTNAME) + more);
        return new PetrelHome(dir, config, dataDir);
    }

    Path dir() {
        return dir;
    }

    /**
     * Mail for other domains goes out after all: MX records from the DNS server at {@code nameserver}, the MX hosts
     * on {@code port}; {@code delivery} adds lines to the [delivery] table, {@code tables} tables at the end.
     */
    void deliverThrough(String nameserver, int port, String delivery, String tables) throws IOException {
        String text = Files.readString(config);
        Files.writeString(config, text.replace("nameservers = [\"127.0.0.1:9\"]", "nameservers = [\"" + nameserver
                + "\"]").replace("remote_port = 9", "remote_port = " + port + delivery) + tables);
    }

    Path config() {
        return config;
    }

    /**
     * Gives each listener (the three SMTP ones, then HTTP) a free port the test picks, for a test that must know
     * them before the server says which; returns them in that order.
     */
    List<Integer> fixPorts() throws IOException {
        List<Integer> ports = new ArrayList<>();
        String text = Files.readString(config);
        while (text.contains("\"127.0.0.1:0\"")) {
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            ports.add(port);
            text = text.replaceFirst("\"127\\.0\\.0\\.1:0\"", "\"127.0.0.1:" + port + "\"");
        }
        Files.writeString(config, text);
        assertEquals(4, ports.size(), "three SMTP listeners and HTTP");
        return ports;
    }

    Path dataDir() {
        return dataDir;
    }

    Path queueDir() {
        return dataDir.resolve("queue");
    }

    /** The self-signed certificate and key the server makes on its first start. */
    Path tlsCertificate() {
        return dataDir.resolve("tls/selfsigned-cert.pem");
    }

    Path tlsKey() {
        return dataDir.resolve("tls/selfsigned-key.pem");
    }

    ServerProcess start() throws Exception {
        return ServerProcess.start(this);
    }

    /** Runs {@code petrel ARGS --config FILE} as its own process. */
    Programs.Result petrel(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return Programs.run(dir, "petrel " + String.join(" ", args), Programs.petrelCli(all), stdin,
                Programs.CLIENT_TIMEOUT);
    }

    /** As {@link #petrel}, and the command must succeed. */
    Programs.Result petrelOk(byte[] stdin, String... args) throws IOException, InterruptedException {
        Programs.Result r = petrel(stdin, args);
        assertEquals(0, r.exitCode(), r.describe());
        return r;
    }

    void addUser(String address, String password) throws IOException, InterruptedException {
        Programs.Result r = petrelOk((password + "\n").getBytes(StandardCharsets.UTF_8), "user", "add", address);
        assertTrue(r.stdout().contains("user " + address + " added"), r.describe());
    }

    /** {@code petrel queue list}: the ids it prints, in its order; its output must be well formed. */
    List<String> queueList() throws IOException, InterruptedException {
        Programs.Result r = petrelOk(null, "queue", "list");
        List<String> ids = new ArrayList<>();
        Matcher m = LISTED_ID.matcher(r.stdout());
        while (m.find()) {
            ids.add(m.group(1));
        }
        String summary = ids.isEmpty() ? "Mail queue is empty" : "in " + ids.size() + " message(s)";
        assertTrue(r.stdout().contains(summary), "queue list's summary does not match its lines\n" + r.describe());
        return ids;
    }

    /** The queue as its files say now, read the way the command line reads a queue a server owns. */
    List<QueuedMessage> snapshot() throws IOException {
        return JournalQueueStore.snapshot(queueDir());
    }

    Optional<StoredMessage> read(String id) throws IOException {
        return JournalQueueStore.snapshotRead(queueDir(), new QueueId(id));
    }

    StoredMessage readPresent(String id) throws IOException {
        Optional<StoredMessage> m = read(id);
        assertTrue(m.isPresent(), "message " + id + " is not in the queue " + queueDir() + "; ids there: "
                + snapshot().stream().map(x -> x.id().value()).toList());
        return m.get();
    }
}
