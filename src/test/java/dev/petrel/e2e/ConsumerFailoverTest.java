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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: two server processes on one private PostgreSQL, a webhook endpoint (a verifying receiver) and mail taken
 * by both. Each consumer of the event feed with a saved cursor (webhooks, suppression writer, reputation guard,
 * consent writer, message log, mail log) runs on exactly one node; every queued and delivered event, whichever node
 * wrote it, reaches the receiver once, and a hard bounce (a sink's 550 5.1.1) on the node without the suppression
 * writer is suppressed by the other's. The node running the webhooks is killed with SIGKILL; the other takes every
 * consumer over within seconds: every event reaches the receiver, duplicates only for what came after the
 * webhooks' last saved cursor (or was in flight), counted and bounded, and a new hard bounce is suppressed there,
 * the first one's address refused at RCPT.
 */
@ExtendWith(PostgresExtension.class)
class ConsumerFailoverTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String ALICE = "alice@maildir.e2e.test";
    private static final int BATCH = 8;
    private static final int SIGKILL_STATUS = 128 + 9;
    // the dispatcher's attempts in flight per endpoint at most: each may be posted again after the kill
    private static final int IN_FLIGHT = 16;
    private static final List<String> CONSUMERS = List.of("consents", "log", "messages", "reputation",
            "suppressions", "webhooks");
    private static final Pattern ACTIVE =
            Pattern.compile("^petrel_feed_consumer_active\\{consumer=\"(\\w+)\",?} (\\S+)$", Pattern.MULTILINE);

    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    @Test
    void theConsumersRunOnOneNodeAndMoveToTheOtherWhenItIsKilled(PrivatePostgres postgres) throws Exception {
        String url = postgres.newDatabase();
        PetrelHome homeA = home("failover-a", url);
        PetrelHome homeB = home("failover-b", url);
        // mail for sink.test goes to a sink that refuses some recipients (550 5.1.1: a hard bounce)
        Dnsmasq dns = new Dnsmasq("ready.sink.test", List.of("--local=/sink.test/",
                "--host-record=ready.sink.test,127.0.0.1", "--mx-host=sink.test,mx.sink.test,10",
                "--host-record=mx.sink.test," + BouncingSink.ADDRESS));
        running.add(dns);
        BouncingSink sink = BouncingSink.start(scratch.newFolder("sink"));
        running.add(sink);
        for (PetrelHome home : List.of(homeA, homeB)) {
            home.deliverThrough(dns.address(), sink.port(), "", "");
        }
        WebhookReceiver receiver = new WebhookReceiver(0);
        running.add(receiver);
        // the first command makes the schema; the others run together (each a JVM of its own)
        homeA.petrelOk(null, "domain", "add", "maildir.e2e.test", "--local");
        String key;
        try (ExecutorService commands = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> user = commands.submit(() -> {
                homeA.addUser(ALICE, "alice-secret");
                return null;
            });
            Future<String> created = commands.submit(() -> homeA.petrelOk(null, "key", "create", "default")
                    .stdout().strip());
            receiver.secret(WebhooksTest.add(homeA, receiver.url("/hook"))[1]);
            user.get();
            key = created.get();
        }
        // both start at once, on an empty queue (a node loads the whole queue at its start until nodes claim work)
        ServerProcess[] nodes = startBoth(homeA, homeB);
        Map<String, List<String>> at = Map.of("a", active(nodes[0]), "b", active(nodes[1]));
        List<String> all = new ArrayList<>(at.get("a"));
        all.addAll(at.get("b"));
        assertEquals(CONSUMERS, all.stream().sorted().toList(), "each consumer runs on exactly one node: " + at);

        Set<String> ids = new TreeSet<>(send(nodes[0], BATCH));
        ids.addAll(send(nodes[1], BATCH));
        awaitQueuedAndDelivered(receiver, ids);
        assertEquals(Map.of(), duplicates(receiver), "nothing failed: every event came once");
        // a hard bounce on the node without the suppression writer: the other node's writer suppresses it
        ServerProcess writerless = at.get("a").contains("suppressions") ? nodes[1] : nodes[0];
        bounce(sink, writerless, key, "gone@sink.test", url);

        // the node running the webhooks takes more mail and is killed at once
        ServerProcess killed = at.get("a").contains("webhooks") ? nodes[0] : nodes[1];
        ServerProcess survivor = killed == nodes[0] ? nodes[1] : nodes[0];
        ids.addAll(send(killed, BATCH));
        assertEquals(SIGKILL_STATUS, killed.killHard());
        long killedAt = System.nanoTime();
        long saved = savedCursor(url, "webhooks");
        long last = feed(url).lastKey();
        Poll.until(Duration.ofSeconds(10), "the other node running every consumer",
                () -> active(survivor).equals(CONSUMERS) ? true : null);
        Duration takeOver = Duration.ofNanos(System.nanoTime() - killedAt);

        ids.addAll(send(survivor, BATCH));
        bounce(sink, survivor, key, "lost@sink.test", url);
        JsonNode refused = smtp(survivor, key, "gone@sink.test");
        assertEquals(550, refused.path("rcpt").get(0).asInt(), "suppressed on every node: " + refused);
        Map<Long, String> feed = feed(url);
        Poll.until(Duration.ofSeconds(15), "every queued and delivered event in the feed at the receiver", () -> {
            Set<String> missing = new TreeSet<>(feed.values());
            missing.removeAll(receiver.events.keySet());
            return missing.isEmpty() ? true : null;
        });
        assertTrue(feed.values().containsAll(queuedEvents(url, ids)), "each message acknowledged was queued once");
        assertTrue(receiver.badSignatures.isEmpty(), receiver.badSignatures.toString());
        Map<String, Integer> duplicates = duplicates(receiver);
        long bound = last - saved + IN_FLIGHT;
        System.out.printf("consumer failover: the other node took over in %d ms; %d events posted, %d of them more than once"
                        + " (bound: %d after the saved cursor %d and %d in flight)%n", takeOver.toMillis(),
                receiver.events.size(), duplicates.size(), last - saved, saved, IN_FLIGHT);
        assertTrue(duplicates.size() <= bound, "duplicates " + duplicates + " over the bound " + bound);
        assertTrue(takeOver.compareTo(Duration.ofSeconds(10)) < 0, "took over in " + takeOver);
    }

    private ServerProcess[] startBoth(PetrelHome homeA, PetrelHome homeB) throws Exception {
        ServerProcess[] nodes = new ServerProcess[2];
        Exception[] failed = new Exception[1];
        Thread second = Thread.ofPlatform().start(() -> {
            try {
                nodes[1] = homeB.start();
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        try {
            nodes[0] = homeA.start();
            running.add(nodes[0]);
        } finally {
            second.join(ServerProcess.START_TIMEOUT.plusSeconds(10));
            if (nodes[1] != null) {
                running.add(nodes[1]);
            }
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        return nodes;
    }

    // mail to an address the sink refuses with 550 5.1.1, and the tenant's suppression of it that follows
    private static void bounce(BouncingSink sink, ServerProcess server, String key, String address, String url)
            throws Exception {
        sink.answer(address, "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown");
        JsonNode sent = smtp(server, key, address);
        assertEquals(250, sent.path("rcpt").get(0).asInt(), sent.toString());
        Poll.until(Duration.ofSeconds(15), "a suppression of " + address, () -> {
            try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT reason FROM suppressions WHERE tenant = 'default' AND address = '"
                         + address + "'")) {
                return r.next() && r.getString(1).equals("hard_bounce") ? true : null;
            }
        });
    }

    // one message with the key through submission, as Python's smtplib sends it: what it was told
    private static JsonNode smtp(ServerProcess server, String key, String rcpt) throws Exception {
        Path file = Files.createTempFile(scratch.newFolder("messages"), "message-", ".eml");
        Files.writeString(file, "From: " + ALICE + "\r\nTo: " + rcpt + "\r\nSubject: bounce\r\n\r\nhello\r\n");
        return Smtplib.run(file.getParent(), "send", "--port", String.valueOf(server.port("submission")), "--tls",
                "starttls", "--auth", "plain", "--user", "apikey", "--password", key, "--sender", ALICE, "--rcpt",
                rcpt, "--message", file.toString());
    }

    private static PetrelHome home(String name, String url) throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder(name));
        Files.writeString(home.config(), Files.readString(home.config()).replace("[http]\n",
                "[http]\nwebhook_allow_private = true\n"));
        Files.writeString(home.config(), "\n[store]\nurl = \"" + url + "\"\n\n[cluster]\nnode = \"" + name + "\"\n",
                StandardOpenOption.APPEND);
        return home;
    }

    private static List<String> send(ServerProcess server, int messages) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            ids.add(WebhooksTest.send(server.port("mx"), ALICE));
        }
        return ids;
    }

    // the consumers this node runs, by its gauges
    private List<String> active(ServerProcess server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port("http") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<String> active = new ArrayList<>();
        Matcher m = ACTIVE.matcher(r.body());
        while (m.find()) {
            if (Double.parseDouble(m.group(2)) == 1) {
                active.add(m.group(1));
            }
        }
        return active.stream().sorted().toList();
    }

    private static void awaitQueuedAndDelivered(WebhookReceiver receiver, Set<String> ids) throws Exception {
        Poll.until(Duration.ofSeconds(15), "queued and delivered events of " + ids.size() + " messages", () -> {
            Set<String> got = receiver.received();
            return ids.stream().allMatch(id -> got.contains("message.queued " + id)
                    && got.contains("message.delivered " + id)) ? true : null;
        });
    }

    private static Map<String, Integer> duplicates(WebhookReceiver receiver) {
        Map<String, Integer> out = new TreeMap<>();
        receiver.arrivals.forEach((id, n) -> {
            if (n.get() > 1) {
                out.put(id, n.get());
            }
        });
        return out;
    }

    // the queued and delivered events in the feed, by cursor: the event ids webhooks carry
    private static TreeMap<Long, String> feed(String url) throws Exception {
        TreeMap<Long, String> out = new TreeMap<>();
        try (PgQueueStore queue = PgQueueStore.open(url, Clock.systemUTC())) {
            for (EventFeed.Entry e : queue.read(0, 100_000)) {
                if (e.event() instanceof MailEvent.Queued || e.event() instanceof MailEvent.Delivered) {
                    out.put(e.cursor(), Long.toString(e.cursor()));
                }
            }
        }
        return out;
    }

    private static Set<String> queuedEvents(String url, Set<String> ids) throws Exception {
        Set<String> out = new TreeSet<>();
        try (PgQueueStore queue = PgQueueStore.open(url, Clock.systemUTC())) {
            for (EventFeed.Entry e : queue.read(0, 100_000)) {
                if (e.event() instanceof MailEvent.Queued q && ids.contains(q.id().value())) {
                    out.add(Long.toString(e.cursor()));
                }
            }
        }
        assertEquals(ids.size(), out.size(), "one queued event per message");
        return out;
    }

    private static long savedCursor(String url, String reader) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT cursor FROM queue_cursors WHERE reader = '" + reader + "'")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }
}
