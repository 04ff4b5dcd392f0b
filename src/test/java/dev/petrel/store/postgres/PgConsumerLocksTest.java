package dev.petrel.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.ConsumerLocks;
import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.FeedReader;
import dev.petrel.event.MailEvent;
import dev.petrel.event.SoleConsumer;
import dev.petrel.store.Stores;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes in one JVM (two queues on one private PostgreSQL, each with its locks' own connection): one runs a
 * consumer, the other waits, and takes it over within a few seconds when the first closes or its session is
 * terminated; a node that lost a consumer saves no cursor for it; the feed keeps what another node's reader has not
 * read.
 */
@ExtendWith(PostgresExtension.class)
class PgConsumerLocksTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    // a round every two seconds: a take-over is seen within two rounds and some
    private static final Duration TAKE_OVER = PgConsumerLocks.TRY_EVERY.multipliedBy(2).plusSeconds(2);

    private final String url;
    private final Clock clock = Clock.fixed(T, java.time.ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    PgConsumerLocksTest(PrivatePostgres postgres) throws SQLException {
        this.url = postgres.newDatabase();
    }

    @BeforeEach
    void schema() throws IOException {
        Stores.open(url, dataDir, List.of(), line -> {}).close();
    }

    /** A holder that records what it was told. */
    private static final class Recorder implements ConsumerLocks.Holder {
        final List<String> told = new CopyOnWriteArrayList<>();
        volatile Cursors cursors;

        @Override
        public void taken(Cursors cursors) {
            this.cursors = cursors;
            told.add("taken");
        }

        @Override
        public void lost() {
            told.add("lost");
        }
    }

    @Test
    void oneNodeHoldsTheOtherWaitsAndTakesOverWhenTheFirstCloses() throws Exception {
        try (PgQueueStore first = PgQueueStore.open(url, clock); PgQueueStore second = PgQueueStore.open(url, clock)) {
            Recorder[] both = watchBoth(first, second);
            Recorder b = both[1];
            // a round later (no event to wait for: the lock stays where it is)
            Thread.sleep(PgConsumerLocks.TRY_EVERY.plusMillis(500).toMillis());
            assertEquals(List.of(), b.told, "still waiting after a round: the lock is held");
            Recorder other = new Recorder();
            second.consumerLocks().watch("suppressions", other);
            assertEquals(List.of("taken"), other.told, "a lock per consumer: another consumer is free");
            first.close();
            await(() -> b.told.equals(List.of("taken")), TAKE_OVER, "the second node takes the consumer over");
        }
    }

    @Test
    void aTerminatedSessionStopsTheConsumerAndAnotherNodeTakesItOver() throws Exception {
        try (PgQueueStore first = PgQueueStore.open(url, clock); PgQueueStore second = PgQueueStore.open(url, clock)) {
            Recorder[] both = watchBoth(first, second);
            Recorder a = both[0];
            Recorder b = both[1];
            for (int i = 1; i <= 7; i++) {
                a.cursors.save("webhooks", i);
            }
            assertEquals(7, cursorInTable("webhooks"));
            assertEquals(1, terminateHolderOf("webhooks"), "one session holds the lock");
            await(() -> a.told.equals(List.of("taken", "lost")), TAKE_OVER, "the first node stops its consumer");
            await(() -> b.told.equals(List.of("taken")), TAKE_OVER, "the second takes it over");
            assertEquals(7, b.cursors.load("webhooks"), "from the cursor saved last");
            b.cursors.save("webhooks", 9);
            IOException refused = assertThrows(IOException.class, () -> a.cursors.save("webhooks", 8));
            assertTrue(refused.getMessage().contains("lost"), refused.getMessage());
            assertEquals(9, cursorInTable("webhooks"), "the node that lost the consumer saved nothing after");
        }
    }

    @Test
    void aReaderAbandonedOnTheLossOfItsLockSavesNoCursor() throws Exception {
        try (PgQueueStore first = PgQueueStore.open(url, clock); PgQueueStore second = PgQueueStore.open(url, clock)) {
            for (int i = 1; i <= 5; i++) {
                first.record(new MailEvent.Flushed(T, i));
            }
            List<Long> handled = new CopyOnWriteArrayList<>();
            FeedReader.Batches batches = batch -> batch.forEach(e -> handled.add(e.cursor()));
            SoleConsumer<FeedReader> running = SoleConsumer.start("log", first.consumerLocks(),
                    cursors -> FeedReader.start("log", first, cursors, batches, Duration.ofDays(1)));
            assertTrue(running.running().orElseThrow().awaitCursor(5, Duration.ofSeconds(5)));
            terminateHolderOf("log");
            await(() -> !running.active(), TAKE_OVER, "the reader stops when its node loses the lock");
            assertEquals(-1, cursorInTable("log"), "it saved nothing: not on the way out either");
            SoleConsumer<FeedReader> next = SoleConsumer.start("log", second.consumerLocks(),
                    cursors -> FeedReader.start("log", second, cursors, batches, Duration.ofDays(1)));
            assertTrue(next.active(), "the lock is free: the other node took it");
            assertTrue(next.running().orElseThrow().awaitCursor(5, Duration.ofSeconds(5)));
            next.close();
            assertEquals(5, cursorInTable("log"), "the new holder saves when it stops");
            running.close();
            assertEquals(5, cursorInTable("log"));
        }
    }

    @Test
    void eventsAReaderOnAnotherNodeHasNotReadStayAndItsCursorShows() throws IOException {
        try (PgQueueStore first = PgQueueStore.open(url, clock, new SimpleMeterRegistry(), 2);
             PgQueueStore second = PgQueueStore.open(url, clock, new SimpleMeterRegistry(), 2)) {
            for (int i = 1; i <= 10; i++) {
                first.record(new MailEvent.Flushed(T, i));
            }
            second.save("webhooks", 3);
            first.save("log", 10);
            assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L), cursors(first.read(0, 100)),
                    "the webhooks run on the other node and have read up to 3");
            assertEquals(Map.of("log", 10L, "webhooks", 3L), first.known(), "every node's cursors, for the lag");
            first.consumerLocks().watch("suppressions", new Recorder());
            first.save("log", 10);
            assertEquals(7, first.read(0, 100).size(), "a reader known here that saved nothing yet holds all");
            second.save("webhooks", 10);
            second.save("suppressions", 10);
            first.save("log", 10);
            assertEquals(List.of(9L, 10L), cursors(first.read(0, 100)), "all read: but for the newest two");
        }
    }

    // both nodes want the webhooks: the first takes them at once, the second waits
    private static Recorder[] watchBoth(PgQueueStore first, PgQueueStore second) throws IOException {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        first.consumerLocks().watch("webhooks", a);
        second.consumerLocks().watch("webhooks", b);
        assertEquals(List.of("taken"), a.told, "the first node takes the free lock at once");
        assertEquals(List.of(), b.told, "the second waits");
        return new Recorder[] {a, b};
    }

    private static List<Long> cursors(List<EventFeed.Entry> entries) {
        return entries.stream().map(EventFeed.Entry::cursor).toList();
    }

    private long cursorInTable(String reader) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT cursor FROM queue_cursors WHERE reader = '" + reader + "'")) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    // what an operator (or a cut network) does to a node's session: the number of sessions ended
    private int terminateHolderOf(String consumer) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                     + " AND objsubid = 2 AND classid::bigint = " + Integer.toUnsignedLong(PgConsumerLocks.NAMESPACE)
                     + " AND objid::bigint = " + Integer.toUnsignedLong(PgConsumerLocks.key(consumer)))) {
            int ended = 0;
            while (r.next()) {
                ended += r.getBoolean(1) ? 1 : 0;
            }
            return ended;
        }
    }

    private static void await(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
