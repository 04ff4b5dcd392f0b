package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.store.postgres.PgQueueStore;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: several server processes, each a node named by {@code [cluster] node}, share the queue and every store
 * on one private PostgreSQL and relay to one receiver (Python's aiosmtpd, found through a private dnsmasq's MX
 * record). Mail submitted to every node with Python's smtplib, first with two nodes, then with a third, reaches the
 * receiver exactly once per acknowledged message; {@code petrel node list} shows the nodes, and each event names
 * the node that wrote it. A message deferred on one node, which then stops gracefully, is delivered by another
 * after {@code petrel queue flush}.
 */
@ExtendWith(PostgresExtension.class)
class ClusterDeliveryTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "alice-secret";
    private static final int PER_NODE = 30;
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private long started = System.nanoTime();

    private void step(String what) {
        System.err.printf("ClusterDeliveryTest %.1fs: %s%n", (System.nanoTime() - started) / 1e9, what);
    }
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");
    private static final Pattern RECEIVED_ID = Pattern.compile("with ESMTP[A-Z]* id ([0-9A-Za-z]+)");

    private final List<AutoCloseable> running = java.util.Collections.synchronizedList(new ArrayList<>());
    private String url;
    private AiosmtpdSink sink;
    private Dnsmasq dns;
    private String token;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    private record Node(String name, PetrelHome home, ServerProcess server) {}

    @Test
    void mailSubmittedToEveryNodeIsDeliveredOnceAndAStoppedNodesMailByAnother(PrivatePostgres postgres)
            throws Exception {
        url = postgres.newDatabase();
        sink = AiosmtpdSink.start(scratch.newFolder("sink"));
        running.add(sink);
        dns = new Dnsmasq("ready.cluster.test", List.of("--local=/cluster.test/",
                "--host-record=ready.cluster.test,127.0.0.1", "--mx-host=cluster.test,mx.cluster.test,10",
                "--host-record=mx.cluster.test,127.0.0.2"));
        running.add(dns);
        Files.writeString(sink.dir.resolve("replies"), "later@cluster.test 451 4.2.0 Mailbox busy, try later\n");

        List<PetrelHome> homes = List.of(home("n1"), home("n2"), home("n3"));
        Map<String, String> submitted = new HashMap<>();
        List<Node> three = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            // the user while the first two start (the stores are in the database: one adding serves every node)
            Future<String> user = pool.submit(() -> {
                homes.getFirst().addUser(USER, PASSWORD);
                return homes.getFirst().petrelOk(null, "admin-token", "create", "ops").stdout().strip();
            });
            List<Node> two = start(homes.subList(0, 2));
            token = user.get();
            step("two started");
            // the third starts while the first two take their share
            Future<List<Node>> third = pool.submit(() -> start(homes.subList(2, 3)));
            submitted.putAll(sendToEach(two, "bob@cluster.test"));
            step("sent to two");
            three.addAll(two);
            three.addAll(third.get());
            step("third started");
        }
        submitted.putAll(sendToEach(three, "bob@cluster.test"));
        step("sent to three");
        assertEquals(2 * PER_NODE + 3 * PER_NODE, submitted.size(), "every message acknowledged under its own id");

        Map<String, Integer> delivered = Poll.until(DELIVERY, "every acknowledged message at the receiver", () -> {
            Map<String, Integer> ids = deliveredIds();
            return ids.keySet().containsAll(submitted.keySet()) ? ids : null;
        });
        step("all delivered");
        assertEquals(submitted.keySet(), delivered.keySet(), "nothing else reached the receiver");
        delivered.forEach((id, times) -> assertEquals(1, times, id + " delivered " + times + " times"));
        Map<String, String> queuedBy = nodeOf(MailEvent.Queued.class);
        assertEquals(submitted, queuedBy, "each Queued event names the node the message was submitted to");
        assertTrue(Set.of("n1", "n2", "n3").containsAll(nodeOf(MailEvent.Delivered.class).values()));

        deferredOnOneNodeThenStoppedIsDeliveredByAnother(three);
    }

    private void deferredOnOneNodeThenStoppedIsDeliveredByAnother(List<Node> nodes) throws Exception {
        Node first = nodes.getFirst();
        String later = send(first, "later@cluster.test", 1).keySet().iterator().next();
        Poll.until(DELIVERY, "the deferral on n1", () -> "n1".equals(nodeOf(MailEvent.Deferred.class).get(later))
                ? true : null);
        step("deferred");
        Files.delete(sink.dir.resolve("replies"));
        first.server().stop();
        assertTrue(first.server().log().contains("node n1 left the queue's nodes: 1 message(s) handed over"),
                first.server().log());
        step("n1 stopped");
        String listed = nodes.get(1).home().petrelOk(null, "node", "list").stdout();
        assertTrue(listed.matches("(?s).*\\nn1 .* stopped +0\\n.*"), listed);
        assertTrue(listed.matches("(?s).*\\nn2 .* alive .*\\nn3 .* alive .*"), listed);
        HttpClientCurl.Response api = new HttpClientCurl(nodes.get(2).home().dir(), "http://127.0.0.1:"
                + nodes.get(2).server().port("http")).get("/admin/v1/nodes", token);
        assertEquals(200, api.status(), api.toString());
        Map<String, String> states = new TreeMap<>();
        api.json().path("nodes").forEach(n -> states.put(n.path("name").asText(), n.path("state").asText()));
        assertEquals(Map.of("n1", "stopped", "n2", "alive", "n3", "alive"), states, api.toString());
        nodes.get(1).home().petrelOk(null, "queue", "flush");
        Poll.until(DELIVERY, "the deferred message at the receiver", () -> deliveredIds().get(later));
        step("delivered by another");
        String by = nodeOf(MailEvent.Delivered.class).get(later);
        assertTrue(Set.of("n2", "n3").contains(by), "delivered by " + by);
        assertEquals(1, deliveredIds().get(later), "once");
    }

    // a node's own folder and ports; the stores and the queue in the one database
    private PetrelHome home(String name) throws IOException {
        PetrelHome home = PetrelHome.create(scratch.newFolder(name));
        home.deliverThrough(dns.address(), sink.port, "", "");
        Files.writeString(home.config(), "\n[store]\nurl = \"" + url + "\"\n\n[cluster]\nnode = \"" + name
                + "\"\nlease = \"10s\"\n", StandardOpenOption.APPEND);
        return home;
    }

    private List<Node> start(List<PetrelHome> homes) throws Exception {
        List<Node> out = new ArrayList<>();
        if (homes.size() == 1) {
            ServerProcess server = homes.getFirst().start();
            running.add(server);
            return List.of(new Node(name(homes.getFirst()), homes.getFirst(), server));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(homes.size())) {
            List<Future<ServerProcess>> started = new ArrayList<>();
            for (PetrelHome home : homes) {
                started.add(pool.submit(home::start));
            }
            for (int i = 0; i < homes.size(); i++) {
                ServerProcess server = started.get(i).get();
                running.add(server);
                out.add(new Node(name(homes.get(i)), homes.get(i), server));
            }
        }
        return out;
    }

    // the folder is the node's name and a number Scratch adds
    private static String name(PetrelHome home) {
        return home.dir().getFileName().toString().replaceFirst("-[0-9]+$", "");
    }

    // each node's share at once; the queue id of each message acknowledged, and the node that acknowledged it
    private Map<String, String> sendToEach(List<Node> nodes, String rcpt) throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(nodes.size())) {
            List<Future<Map<String, String>>> sent = new ArrayList<>();
            for (Node n : nodes) {
                sent.add(pool.submit(() -> send(n, rcpt, PER_NODE)));
            }
            for (Future<Map<String, String>> s : sent) {
                ids.putAll(s.get());
            }
        }
        return ids;
    }

    private static Map<String, String> send(Node node, String rcpt, int count) throws Exception {
        Path file = Files.createTempFile(node.home().dir(), "message-", ".eml");
        Files.writeString(file, "From: <" + USER + ">\r\nTo: <" + rcpt + ">\r\nSubject: cluster\r\n\r\nhello\r\n");
        JsonNode r = Smtplib.run(node.home().dir(), "send", "--port",
                String.valueOf(node.server().port("submission")), "--tls", "starttls", "--auth", "plain", "--user",
                USER, "--password", PASSWORD, "--sender", USER, "--rcpt", rcpt, "--message", file.toString(),
                "--count", String.valueOf(count));
        Map<String, String> ids = new HashMap<>();
        for (JsonNode m : r.path("messages")) {
            assertEquals(250, m.path("data").get(0).asInt(), r.toString());
            Matcher id = QUEUED_AS.matcher(m.path("data").get(1).asText());
            assertTrue(id.find(), m.toString());
            ids.put(id.group(1), node.name());
        }
        return ids;
    }

    // how many times the receiver took each queue id (its Received field: "with ESMTPSA id ID")
    private Map<String, Integer> deliveredIds() throws IOException {
        Map<String, Integer> ids = new TreeMap<>();
        try (Stream<Path> files = Files.list(sink.dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).toList()) {
                Matcher m = RECEIVED_ID.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    ids.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return ids;
    }

    // the node named by the events of this type, by queue id, from the feed in PostgreSQL
    private Map<String, String> nodeOf(Class<? extends MailEvent.OfMessage> type) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (PgQueueStore queue = PgQueueStore.open(url, Clock.systemUTC())) {
            for (EventFeed.Entry e : queue.read(0, 100_000)) {
                if (type.isInstance(e.event())) {
                    out.put(((MailEvent.OfMessage) e.event()).id().value(), e.node());
                }
            }
        }
        return out;
    }
}
