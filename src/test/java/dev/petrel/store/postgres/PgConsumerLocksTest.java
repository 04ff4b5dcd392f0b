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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import org.postgresql.ds.PGSimpleDataSource;
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
    private static final Duration TAKE_OVER = PgConsumerLocks.Timing.DEFAULT.tryEvery().multipliedBy(2).plusSeconds(2);

    private final String url;
    private final PrivatePostgres postgres;
    private final Clock clock = Clock.fixed(T, java.time.ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    PgConsumerLocksTest(PrivatePostgres postgres) throws SQLException {
        this.url = postgres.newDatabase();
        this.postgres = postgres;
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
            Thread.sleep(PgConsumerLocks.Timing.DEFAULT.tryEvery().plusMillis(500).toMillis());
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
    void aNodeCutOffFromPostgresStopsItsConsumerBeforeAnotherNodeTakesItOver() throws Exception {
        // quicker than the defaults, in the same proportions: a check fails within 1.5 s, PostgreSQL waits 5 s
        PgConsumerLocks.Timing quick = new PgConsumerLocks.Timing(Duration.ofMillis(300), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        List<String> order = new CopyOnWriteArrayList<>();
        try (Cable cable = new Cable(postgres.port()); PgQueueStore first = PgQueueStore.open(url, clock);
             PgQueueStore second = PgQueueStore.open(url, clock);
             PgConsumerLocks cutOff = new PgConsumerLocks(source(url.replace(":" + postgres.port() + "/", ":"
                     + cable.port() + "/")), first, quick);
             PgConsumerLocks other = new PgConsumerLocks(source(url), second, quick)) {
            cutOff.watch("webhooks", telling(order, "cut off"));
            other.watch("webhooks", telling(order, "other"));
            assertEquals(List.of("cut off taken"), order);
            cable.cut();
            await(() -> order.size() == 3, Duration.ofSeconds(15), "the other node takes the consumer: " + order);
            assertEquals(List.of("cut off taken", "cut off lost", "other taken"), order,
                    "the cut-off node stopped its consumer before PostgreSQL let another node take it");
        }
    }

    private static PGSimpleDataSource source(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL("jdbc:" + url);
        return source;
    }

    private static ConsumerLocks.Holder telling(List<String> order, String node) {
        return new ConsumerLocks.Holder() {
            @Override
            public void taken(Cursors cursors) {
                order.add(node + " taken");
            }

            @Override
            public void lost() {
                order.add(node + " lost");
            }
        };
    }

    /**
     * A loopback relay to PostgreSQL that can be cut as a network is: its connections stay open and every byte is
     * dropped, so neither end hears of it but by its own timeouts.
     */
    private static final class Cable implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean cut;

        Cable(int target) throws IOException {
            this.target = target;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        void cut() {
            cut = true;
        }

        private void accept() {
            try {
                while (true) {
                    Socket in = listener.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(in);
                    sockets.add(out);
                    pump(in, out);
                    pump(out, in);
                }
            } catch (IOException e) {
                // closed
            }
        }

        // once cut, not even the end of a connection goes through: the other end keeps it open
        private void pump(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[8192];
                try {
                    InputStream i = from.getInputStream();
                    OutputStream o = to.getOutputStream();
                    for (int n = i.read(buffer); n > 0; n = i.read(buffer)) {
                        if (!cut) {
                            o.write(buffer, 0, n);
                            o.flush();
                        }
                    }
                    if (!cut) {
                        to.close();
                    }
                } catch (IOException e) {
                    // one end closed
                }
            });
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
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
