package dev.petrel.e2e;

import dev.petrel.dns.Dnsmasq;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several Petrel nodes on one PostgreSQL database, for issue 19's failure tests: each its own home (configuration,
 * data folder, listeners on port 0) with {@code [store] url} on the database and {@code [cluster] node = "nodeN"} and
 * the given lease; each relays mail from 127.0.0.0/8 ({@link ClusterLoad}'s senders) to sink.test, whose MX a
 * private dnsmasq puts on 127.0.0.2, where an {@link AiosmtpdSink} takes it. The domain load.test and an API key
 * belong to the default tenant. Closing stops the nodes, then the sink and the DNS.
 */
final class ClusterNodes implements AutoCloseable {

    /**
     * A delivery that cannot record its outcome, or read its message, while PostgreSQL is away is tried again after
     * the first retry: seconds here, so that the tests wait for it.
     */
    private static final String RETRIES = "\nfirst_retry = \"2s\"\nmax_retry = \"4s\"";
    /** The most a retry waits, with its jitter (20%). */
    static final Duration MAX_RETRY = Duration.ofMillis(4800);
    private static final Pattern KEY = Pattern.compile("pk_[A-Za-z0-9_-]+");

    final Path sinkDir;
    final String apiKey;
    private final List<PetrelHome> homes;
    private final ServerProcess[] running;
    private final AiosmtpdSink sink;
    private final Dnsmasq dns;

    private ClusterNodes(Path sinkDir, String apiKey, List<PetrelHome> homes, AiosmtpdSink sink, Dnsmasq dns) {
        this.sinkDir = sinkDir;
        this.apiKey = apiKey;
        this.homes = homes;
        this.running = new ServerProcess[homes.size()];
        this.sink = sink;
        this.dns = dns;
    }

    /**
     * Makes {@code count} homes on the database at {@code url} (none started yet), and their receiver: the aiosmtpd
     * script {@code sink} of src/test/resources/e2e with the arguments {@code sinkArguments} after its folder.
     */
    static ClusterNodes create(Scratch scratch, String url, int count, String lease, String sink,
                               String... sinkArguments) throws Exception {
        Path sinkDir = scratch.newFolder("sink");
        AiosmtpdSink receiver = AiosmtpdSink.start(sink, sinkDir, sinkArguments);
        Dnsmasq dns;
        try {
            dns = new Dnsmasq("ready.sink.test", List.of("--local=/sink.test/", "--host-record=ready.sink.test,127.0.0.1",
                    "--mx-host=sink.test,mx.sink.test,10", "--host-record=mx.sink.test,127.0.0.2"));
        } catch (Exception | Error e) {
            receiver.close();
            throw e;
        }
        List<PetrelHome> homes = new ArrayList<>();
        ClusterNodes nodes = null;
        try {
            for (int i = 1; i <= count; i++) {
                PetrelHome home = PetrelHome.create(scratch.newFolder("node" + i));
                home.deliverThrough(dns.address(), receiver.port, RETRIES, "\n[policy]\nrelay_networks = [\"127.0.0.0/8\"]\n"
                        + "\n[store]\nurl = \"" + url + "\"\n\n[cluster]\nnode = \"node" + i + "\"\nlease = \"" + lease
                        + "\"\n");
                homes.add(home);
            }
            PetrelHome first = homes.getFirst();
            first.petrelOk(null, "domain", "add", "load.test");
            Matcher key = KEY.matcher(first.petrelOk(null, "key", "create", "default").stdout());
            if (!key.find()) {
                throw new AssertionError("key create printed no key");
            }
            nodes = new ClusterNodes(sinkDir, key.group(), homes, receiver, dns);
            return nodes;
        } finally {
            if (nodes == null) {
                receiver.close();
                dns.close();
            }
        }
    }

    int size() {
        return homes.size();
    }

    PetrelHome home(int node) {
        return homes.get(node);
    }

    ServerProcess start(int node) throws Exception {
        running[node] = homes.get(node).start();
        return running[node];
    }

    void startAll() throws Exception {
        for (int i = 0; i < homes.size(); i++) {
            start(i);
        }
    }

    ServerProcess server(int node) {
        return running[node];
    }

    /** Where node {@code node} listens now (a restarted node listens elsewhere), or DOWN. */
    ClusterLoad.Ports ports(int node) {
        ServerProcess s = running[node];
        return s == null || !s.isAlive() ? ClusterLoad.DOWN
                : new ClusterLoad.Ports(s.port("mx"), s.port("http"));
    }

    /** Every node's log so far, for assertion messages. */
    String logs() throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < running.length; i++) {
            if (running[i] != null) {
                all.append("--- node").append(i + 1).append('\n').append(running[i].log());
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        try {
            for (ServerProcess s : running) {
                if (s != null) {
                    s.close();
                }
            }
        } finally {
            try {
                sink.close();
            } finally {
                dns.close();
            }
        }
    }
}
