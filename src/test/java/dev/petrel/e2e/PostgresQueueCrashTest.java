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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: with {@code [store] url} on PostgreSQL the queue is there too. A server process takes mail from
 * Python's smtplib (each 250 only once the message is committed), is killed with SIGKILL after the last 250 while
 * the mail waits (its destination cannot be reached yet), and a new process on the same database delivers every
 * acknowledged message to a real receiver (Python's aiosmtpd, found through a private dnsmasq's MX record) once
 * {@code petrel queue flush} asks, through the server's control socket; the queue is empty after, and the event feed
 * in PostgreSQL says each message was queued and delivered, once.
 */
@ExtendWith(PostgresExtension.class)
class PostgresQueueCrashTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "alice-secret";
    private static final int MESSAGES = 30;
    private static final int SIGKILL_STATUS = 128 + 9;
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
    }

    @Test
    void everyMessageAcknowledgedBeforeASigkillIsDeliveredByTheNextProcess(PrivatePostgres postgres) throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("pgqueue"));
        String url = postgres.newDatabase();
        Files.writeString(home.config(), "\n[store]\nurl = \"" + url + "\"\n", java.nio.file.StandardOpenOption.APPEND);
        home.addUser(USER, PASSWORD);
        ServerProcess first = home.start();
        running.add(first);
        Set<String> acknowledged = send(home, first);
        assertEquals(MESSAGES, acknowledged.size(), "every message was acknowledged under an id of its own");
        assertEquals(SIGKILL_STATUS, first.killHard());
        assertEquals(acknowledged, queued(url), "the queue in PostgreSQL as the SIGKILL left it");

        Path sinkDir = scratch.newFolder("sink");
        AiosmtpdSink sink = AiosmtpdSink.start(sinkDir);
        running.add(sink);
        Dnsmasq dns = new Dnsmasq("ready.sink.test", List.of("--local=/sink.test/",
                "--host-record=ready.sink.test,127.0.0.1", "--mx-host=sink.test,mx.sink.test,10",
                "--host-record=mx.sink.test,127.0.0.2"));
        running.add(dns);
        home.deliverThrough(dns.address(), sink.port, "", "");
        ServerProcess second = home.start();
        running.add(second);
        assertEquals(MESSAGES, second.queuedAtStart(), "the new process found the queue in PostgreSQL");
        home.petrelOk(null, "queue", "flush");
        Set<String> delivered = Poll.until(DELIVERY, "every acknowledged message at the sink", () -> {
            Set<String> ids = deliveredIds(sinkDir);
            return ids.containsAll(acknowledged) ? ids : null;
        });
        assertEquals(acknowledged, delivered, "nothing else reached the sink");
        Poll.until(DELIVERY, "an empty queue", () -> queued(url).isEmpty() ? true : null);
        assertFeedSaysQueuedAndDelivered(url, acknowledged);
    }

    private static Set<String> send(PetrelHome home, ServerProcess server) throws Exception {
        JsonNode r = Smtplib.submit(home.dir(), server.port("submission"), USER, PASSWORD, "bob@sink.test",
                MESSAGES);
        Set<String> ids = new TreeSet<>();
        for (JsonNode m : r.path("messages")) {
            assertEquals(250, m.path("data").get(0).asInt(), r.toString());
            Matcher id = QUEUED_AS.matcher(m.path("data").get(1).asText());
            assertTrue(id.find(), m.toString());
            ids.add(id.group(1));
        }
        return ids;
    }

    // the queue id each received message's Received field names ("with ESMTPSA id ID")
    private static Set<String> deliveredIds(Path sinkDir) throws IOException {
        Set<String> ids = new TreeSet<>();
        Pattern received = Pattern.compile("with ESMTP[A-Z]* id ([0-9A-Za-z]+)");
        try (Stream<Path> files = Files.list(sinkDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".eml")).toList()) {
                Matcher m = received.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }

    // read here, as another process on the database (the command line's queue list reads the same)
    private static Set<String> queued(String url) throws IOException {
        try (PgQueueStore queue = PgQueueStore.open(url, Clock.systemUTC())) {
            Set<String> ids = new TreeSet<>();
            queue.list().forEach(m -> ids.add(m.id().value()));
            return ids;
        }
    }

    private static void assertFeedSaysQueuedAndDelivered(String url, Set<String> ids) throws IOException {
        List<String> queued = new ArrayList<>();
        List<String> delivered = new ArrayList<>();
        try (PgQueueStore queue = PgQueueStore.open(url, Clock.systemUTC())) {
            for (EventFeed.Entry e : queue.read(0, 10_000)) {
                switch (e.event()) {
                    case MailEvent.Queued q -> queued.add(q.id().value());
                    case MailEvent.Delivered d -> delivered.add(d.id().value());
                    default -> { }
                }
            }
        }
        assertEquals(List.copyOf(ids), queued.stream().sorted().toList(), "one queued event for each message");
        assertEquals(List.copyOf(ids), delivered.stream().sorted().toList(), "one delivered event for each");
    }
}
