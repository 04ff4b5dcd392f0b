package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.testing.Hammer;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: two server processes on one PostgreSQL hold the limits of one server together. A site whose
 * concurrency is 2 never has more than 2 connections open from both (a sink, Python's aiosmtpd, counts them, and
 * takes its time over each message so that connections overlap), and every message is delivered; a tenant's rate,
 * met by the send API of both nodes as fast as Java's HTTP client can ask, admits no more than the rate and the
 * README's bound over the run.
 */
@ExtendWith(PostgresExtension.class)
class ClusterLimitsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "alice-secret";
    private static final int MESSAGES_PER_NODE = 10;
    private static final int SITE_CONCURRENCY = 2;
    private static final long RATE = 5;
    private static final Duration SENDING = Duration.ofSeconds(2);
    private static final Duration DELIVERY = Duration.ofSeconds(40);

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    @Test
    void aSitesConcurrencyAndATenantsRateHoldAcrossTwoNodes(PrivatePostgres postgres) throws Exception {
        Programs.require("python3", "python3");
        Path sinkDir = scratch.newFolder("sink");
        AiosmtpdSink sink = AiosmtpdSink.start("counting_sink.py", sinkDir, "0.25");
        running.add(sink);
        Dnsmasq dns = new Dnsmasq("ready.sink.test", List.of("--local=/sink.test/",
                "--host-record=ready.sink.test,127.0.0.1", "--mx-host=sink.test,mx.sink.test,10",
                "--host-record=mx.sink.test,127.0.0.2"));
        running.add(dns);
        String url = postgres.newDatabase();
        PetrelHome one = node("node1", url, dns, sink);
        PetrelHome two = node("node2", url, dns, sink);
        // the first command makes the schema; then both nodes start at once, on an empty queue
        one.addUser(USER, PASSWORD);
        List<ServerProcess> servers = startAll(one, two);
        ServerProcess first = servers.get(0);
        ServerProcess second = servers.get(1);

        // the tenant of the second part is made by the command line while the first part runs
        ExecutorService commands = Executors.newSingleThreadExecutor();
        try {
            Future<String> key = commands.submit(() -> rateLimitedKey(one));
            relayedMailNeverHasMoreConnectionsThanTheSitesConcurrency(List.of(one, two), List.of(first, second),
                    sinkDir);
            theSendApiOfBothNodesAdmitsNoMoreThanTheTenantsRateAndTheBound(key.get(), List.of(first, second));
        } finally {
            commands.shutdownNow();
        }
    }

    private void relayedMailNeverHasMoreConnectionsThanTheSitesConcurrency(List<PetrelHome> homes,
            List<ServerProcess> servers, Path sinkDir) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<JsonNode>> sent = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                PetrelHome home = homes.get(i);
                ServerProcess server = servers.get(i);
                sent.add(clients.submit(() -> send(home, server)));
            }
            for (Future<JsonNode> f : sent) {
                for (JsonNode m : f.get().path("messages")) {
                    assertEquals(250, m.path("data").get(0).asInt(), m.toString());
                }
            }
        } finally {
            clients.shutdownNow();
        }
        int messages = 2 * MESSAGES_PER_NODE;
        Poll.until(DELIVERY, messages + " messages at the sink", () -> kept(sinkDir) >= messages ? true : null);
        assertEquals(messages, kept(sinkDir), "each message delivered once");
        int peak = Integer.parseInt(Files.readString(sinkDir.resolve("peak")).strip());
        assertTrue(peak <= SITE_CONCURRENCY, "the sink saw " + peak + " connections at once (connections.log in "
                + sinkDir + ")");
        assertEquals(SITE_CONCURRENCY, peak, "the nodes used what the site allows");
        String peers = String.join("\n", Files.readAllLines(sinkDir.resolve("peers.log")));
        assertTrue(peers.contains(" node1.e2e.test ") && peers.contains(" node2.e2e.test "),
                "both nodes delivered: " + peers);
    }

    // a key of tenant acme, whose rate is RATE messages a second
    private static String rateLimitedKey(PetrelHome home) throws Exception {
        home.petrelOk(null, "tenant", "add", "acme");
        home.petrelOk(null, "domain", "add", "acme.test", "--tenant", "acme");
        home.petrelOk(null, "tenant", "set", "acme", "--per-second", String.valueOf(RATE));
        return home.petrelOk(null, "key", "create", "acme").stdout().strip();
    }

    private void theSendApiOfBothNodesAdmitsNoMoreThanTheTenantsRateAndTheBound(String key,
            List<ServerProcess> servers) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (ServerProcess server : servers) {
            // each node's send API warmed up first (its first request loads much), outside the measured run
            assertTrue(Set.of(200, 429).contains(post(http, server, key).statusCode()));
        }
        AtomicInteger[] perNode = {new AtomicInteger(), new AtomicInteger()};
        Hammer.Counts admitted = Hammer.run(4, SENDING, t -> () -> {
            HttpResponse<String> r = post(http, servers.get(t % 2), key);
            if (r.statusCode() == 200) {
                perNode[t % 2].incrementAndGet();
                return true;
            }
            assertEquals(429, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.headers().toString());
            return false;
        });
        // README, "Limits across nodes": the bucket's second's worth, the rate over the run, and a chunk (a tenth
        // of a second's worth, at least one) for each node
        double bound = RATE + RATE * admitted.seconds() + 2 * Math.max(1, RATE / 10);
        assertTrue(admitted.yes() <= bound, admitted + "; bound " + bound);
        assertTrue(admitted.yes() >= RATE, "at least the bucket's second's worth: " + admitted);
        assertTrue(admitted.no() > 0, "the rest was refused with 429: " + admitted);
        assertTrue(perNode[0].get() > 0 && perNode[1].get() > 0, "both nodes admitted some: " + perNode[0] + " "
                + perNode[1]);
    }

    private static HttpResponse<String> post(HttpClient http, ServerProcess server, String key) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port("http") + "/v1/messages");
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\": \"ann@acme.test\", \"to\":"
                        + " [\"bob@sink.test\"], \"subject\": \"rate\", \"text\": \"hello\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private PetrelHome node(String name, String url, Dnsmasq dns, AiosmtpdSink sink) throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder(name));
        String config = Files.readString(home.config());
        Files.writeString(home.config(), config.replace("hostname = \"" + PetrelHome.HOSTNAME + "\"",
                "hostname = \"" + name + ".e2e.test\""));
        home.deliverThrough(dns.address(), sink.port, "\nsite_concurrency = " + SITE_CONCURRENCY
                + "\nconnection_idle = \"1s\"", "");
        Files.writeString(home.config(), "\n[store]\nurl = \"" + url + "\"\n", StandardOpenOption.APPEND);
        return home;
    }

    private List<ServerProcess> startAll(PetrelHome... homes) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(homes.length);
        try {
            List<Future<ServerProcess>> started = new ArrayList<>();
            for (PetrelHome home : homes) {
                started.add(starting.submit(home::start));
            }
            List<ServerProcess> servers = new ArrayList<>();
            for (Future<ServerProcess> f : started) {
                servers.add(f.get());
                running.add(servers.getLast());
            }
            return servers;
        } finally {
            starting.shutdown();
        }
    }

    private static JsonNode send(PetrelHome home, ServerProcess server) throws Exception {
        return Smtplib.submit(home.dir(), server.port("submission"), USER, PASSWORD, "bob@sink.test",
                MESSAGES_PER_NODE);
    }

    private static long kept(Path sinkDir) throws Exception {
        try (Stream<Path> files = Files.list(sinkDir)) {
            return files.filter(p -> p.toString().endsWith(".eml")).count();
        }
    }
}
