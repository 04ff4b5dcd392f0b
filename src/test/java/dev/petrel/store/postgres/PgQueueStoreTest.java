package dev.petrel.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueuedMessage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import dev.petrel.queue.QueueStoreContract;
import dev.petrel.store.Stores;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The queue's contract on a private PostgreSQL, a database of each test's own. */
@ExtendWith(PostgresExtension.class)
class PgQueueStoreTest extends QueueStoreContract {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    // one database for the class, its schema made once (as a server's start makes it), emptied before each test
    private static String url;

    @TempDir
    Path dataDir;

    PgQueueStoreTest(PrivatePostgres postgres) throws SQLException {
        synchronized (PgQueueStoreTest.class) {
            if (url == null) {
                url = postgres.newDatabase();
            }
        }
    }

    @BeforeEach
    void emptyQueue() throws IOException, SQLException {
        Stores.open(url, dataDir, List.of(), line -> {}).close();
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement()) {
            s.execute("TRUNCATE queue_messages, queue_recipients, queue_events, queue_cursors, queue_nodes RESTART IDENTITY");
        }
    }

    @Override
    protected QueueStore open(Clock clock) throws IOException {
        return PgQueueStore.open(url, clock);
    }

    @Override
    protected void afterConcurrentEnqueues(QueueStore store, int messages) {
        long[] counts = ((PgQueueStore) store).commitCounts();
        assertTrue(counts[1] < messages, "commits shared: " + counts[1] + " for " + counts[0] + " writes");
    }

    @Test
    void groupCommitsAndTheirTimesAreMetered() throws IOException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (PgQueueStore store = PgQueueStore.open(url, clock, meters)) {
            for (int i = 0; i < 3; i++) {
                store.enqueue(store.newId(), clock.instant(), envelope(), new byte[1]);
            }
            DistributionSummary groups = meters.get("petrel.queue.group.commit").summary();
            assertEquals(3.0, groups.totalAmount(), "three writes");
            assertEquals(groups.count(), meters.get("petrel.queue.commit").timer().count(), "one time per commit");
        }
    }

    @Test
    void twoProcessesOnOneDatabaseMakeDifferentIdsAndShareOneFeedInCommitOrder() throws Exception {
        try (PgQueueStore one = PgQueueStore.open(url, Clock.fixed(T, ZoneOffset.UTC));
             PgQueueStore two = PgQueueStore.open(url, Clock.fixed(T, ZoneOffset.UTC))) {
            QueueId a = one.newId();
            QueueId b = two.newId();
            assertNotEquals(a, b, "the same microsecond, another process's number");
            one.enqueue(a, T, envelope(), new byte[0], new byte[1], false,
                    new MailEvent.Queued(T, a, "x@example.com", 1, 1, "local", null));
            two.enqueue(b, T, envelope(), new byte[0], new byte[1], false,
                    new MailEvent.Queued(T, b, "x@example.com", 1, 1, "local", null));
            assertTrue(one.await(1, Duration.ofMillis(100)), "the other process's event is found in the table");
            assertEquals(List.of(a, b),
                    one.read(0, 10).stream().map(e -> ((MailEvent.Queued) e.event()).id()).toList());
            assertEquals(List.of(a, b), two.list().stream().map(QueuedMessage::id).toList(), "one queue");
            assertTrue(two.hold(a), "either process changes any message");
            assertTrue(one.find(a).orElseThrow().held());
        }
    }

    @Test
    void aDuplicateIdFailsItsOwnWriteAloneAndTheQueueGoesOn() throws Exception {
        try (PgQueueStore store = PgQueueStore.open(url, clock)) {
            QueueId id = store.newId();
            store.enqueue(id, clock.instant(), envelope(), new byte[1]);
            List<Future<Boolean>> writes = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 16; i++) {
                    boolean duplicate = i % 4 == 0;
                    writes.add(pool.submit(() -> {
                        QueueId next = duplicate ? id : store.newId();
                        try {
                            store.enqueue(next, clock.instant(), envelope(), new byte[1]);
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    }));
                }
            }
            for (int i = 0; i < writes.size(); i++) {
                assertEquals(i % 4 != 0, writes.get(i).get(), "write " + i);
            }
            assertEquals(13, store.list().size(), "the first and the twelve others");
        }
    }

    @Test
    void aLostConnectionFailsTheWriteInFlightAndTheNextWriteConnectsAgain() throws Exception {
        try (PgQueueStore store = PgQueueStore.open(url, clock)) {
            store.enqueue(store.newId(), clock.instant(), envelope(), new byte[1]);
            // what a restart of PostgreSQL does to every connection
            try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid()");
            }
            QueueId lost = store.newId();
            assertThrows(IOException.class, () -> store.enqueue(lost, clock.instant(), envelope(), new byte[1]),
                    "no 250 for a message whose commit failed");
            QueueId next = store.newId();
            store.enqueue(next, clock.instant(), envelope(), new byte[1]);
            assertTrue(store.find(next).isPresent());
            assertTrue(store.find(lost).isEmpty());
        }
    }

    @Test
    void eventsEveryReaderHasReadGoButTheNewestAreKept() throws IOException {
        try (PgQueueStore store = PgQueueStore.open(url, clock, new SimpleMeterRegistry(), 3)) {
            assertEquals(0, store.load("log"));
            assertEquals(0, store.load("webhooks"));
            for (int i = 1; i <= 10; i++) {
                store.record(new MailEvent.Flushed(T, i));
            }
            store.save("log", 10);
            assertEquals(10, store.read(0, 100).size(), "the webhooks have read nothing: all stay");
            store.save("webhooks", 5);
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L), cursors(store.read(0, 100)), "what both have read goes");
            store.save("webhooks", 10);
            assertEquals(List.of(8L, 9L, 10L), cursors(store.read(0, 100)), "but the newest three");
        }
    }

    private static List<Long> cursors(List<EventFeed.Entry> entries) {
        return entries.stream().map(EventFeed.Entry::cursor).toList();
    }

    @Test
    void aCopiedQueuesFeedGoesOnAfterTheSourcesLastEvent() throws Exception {
        try (PgQueueStore store = PgQueueStore.open(url, clock)) {
            store.continueFeed(41);
            assertEquals(41, store.last());
        }
        try (PgQueueStore store = PgQueueStore.open(url, clock)) {
            assertEquals(41, store.last(), "kept through a reopening");
            assertFalse(store.await(0, Duration.ofMillis(50)), "no event to read yet: a reader waits");
            store.record(new MailEvent.Flushed(T, 0));
            assertEquals(List.of(42L), cursors(store.read(0, 10)));
            assertEquals(42, store.last());
            IOException used = assertThrows(IOException.class, () -> store.continueFeed(100));
            assertTrue(used.getMessage().contains("not new"), used.getMessage());
        }
    }
}
