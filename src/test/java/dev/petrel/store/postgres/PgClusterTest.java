package dev.petrel.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.NodeStatus;
import dev.petrel.queue.Scheduler;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes on one queue in PostgreSQL, in one JVM: each a {@link PgQueueStore} joined through its
 * {@link PgClaims}, with a scheduler of its own; the command line is a store that never joins. Claims run only
 * when a NOTIFY wakes a node (their interval is made long), so each test sees what NOTIFY does.
 */
@ExtendWith(PostgresExtension.class)
class PgClusterTest {

    private static final Duration LONG = Duration.ofMinutes(5);
    private static String url;

    @TempDir
    Path dataDir;

    private final Clock clock = Clock.systemUTC();
    private final List<Node> nodes = new ArrayList<>();
    private final List<PgQueueStore> stores = new ArrayList<>();

    /** One node: its store, claims, schedule and log. */
    private record Node(String name, PgQueueStore store, PgClaims claims, Scheduler scheduler, List<String> log) {}

    PgClusterTest(PrivatePostgres postgres) throws SQLException {
        synchronized (PgClusterTest.class) {
            if (url == null) {
                url = postgres.newDatabase();
            }
        }
    }

    @BeforeEach
    void emptyQueue() throws IOException, SQLException {
        Stores.open(url, dataDir, List.of(), line -> {}).close();
        sql("TRUNCATE queue_messages, queue_recipients, queue_events, queue_cursors, queue_nodes RESTART IDENTITY");
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Node n : nodes) {
            n.claims().stop(Set.of());
        }
        for (PgQueueStore s : stores) {
            s.close();
        }
    }

    private PgQueueStore store() throws IOException {
        PgQueueStore s = PgQueueStore.open(url, clock);
        stores.add(s);
        return s;
    }

    private Node node(String name, Duration lease) throws IOException {
        PgQueueStore s = store();
        List<String> log = new CopyOnWriteArrayList<>();
        Scheduler scheduler = new Scheduler(clock);
        PgClaims claims = new PgClaims(s, name, lease, clock, log::add, LONG);
        claims.start(scheduler);
        Node n = new Node(name, s, claims, scheduler, log);
        nodes.add(n);
        return n;
    }

    private QueueId enqueue(PgQueueStore s) throws IOException {
        QueueId id = s.newId();
        s.enqueue(id, clock.instant(), envelope(), new byte[0], "x".getBytes(), false,
                new MailEvent.Queued(clock.instant(), id, "a@example.com", 1, 1, "local", null));
        return id;
    }

    private static Envelope envelope() {
        return new Envelope(ReversePath.NULL, List.of(Recipient.of(Address.of("b@example.net"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, null, null);
    }

    @Test
    void concurrentClaimersTakeEveryMessageOnceBetweenThem() throws Exception {
        PgQueueStore commandLine = store();
        List<QueueId> all = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writes.add(pool.submit(() -> {
                    for (int j = 0; j < 100; j++) {
                        all.add(enqueue(commandLine));
                    }
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
        List<Node> three = List.of(node("a", LONG), node("b", LONG), node("c", LONG));
        // each node claims from four threads at once, beside its own NOTIFY-driven claims
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<Future<Integer>> claims = new ArrayList<>();
            for (Node n : three) {
                for (int t = 0; t < 4; t++) {
                    claims.add(pool.submit(() -> n.claims().claim()));
                }
            }
            for (Future<Integer> c : claims) {
                c.get();
            }
        }
        Map<QueueId, String> scheduledBy = new HashMap<>();
        for (Node n : three) {
            for (QueueId id : n.scheduler().takeDue(10_000)) {
                String before = scheduledBy.put(id, n.name());
                assertNull(before, id + " scheduled by " + before + " and " + n.name());
            }
        }
        assertEquals(new HashSet<>(all), scheduledBy.keySet(), "every message on exactly one schedule");
        assertEquals(scheduledBy, commandLine.cluster().owners(), "each owned by the node that scheduled it");
    }

    @Test
    void aHeldMessageIsNobodysAndItsReleaseWakesTheNodes() throws Exception {
        Node a = node("a", LONG);
        QueueId own = enqueue(a.store());
        PgQueueStore commandLine = store();
        assertEquals(Map.of(own, "a"), commandLine.cluster().owners(), "a node owns what it enqueues");
        QueueId held = commandLine.newId();
        commandLine.enqueue(held, clock.instant(), envelope(), new byte[0], new byte[1], true);
        commandLine.hold(own);
        assertEquals(0, a.claims().claim(), "held mail is claimed by nobody");
        assertEquals(Map.of(), commandLine.cluster().owners());
        assertTrue(a.store().readOwned(own).isEmpty(), "an attempt scheduled before the hold finds nothing to do");
        commandLine.release(own);
        waitFor(() -> a.store().readOwned(own).isPresent(), "the release woke node a, which claimed it");
        assertEquals(List.of(own), a.scheduler().takeDue(10));
        assertEquals(Map.of(own, "a"), commandLine.cluster().owners(), "the held one stays nobody's");
    }

    @Test
    void mailOfTheCommandLineWakesANodeWhichClaimsIt() throws Exception {
        Node a = node("a", LONG);
        QueueId id = enqueue(store());
        waitFor(() -> a.scheduler().size() == 1, "NOTIFY woke node a");
        assertEquals(List.of(id), a.scheduler().takeDue(10));
    }

    @Test
    void aFlushFromAnyProcessMakesEveryNodesMailDueNow() throws Exception {
        Node a = node("a", LONG);
        Node b = node("b", LONG);
        QueueId ofA = enqueue(a.store());
        QueueId ofB = enqueue(b.store());
        a.scheduler().schedule(ofA, clock.instant().plus(Duration.ofHours(1)));
        b.scheduler().schedule(ofB, clock.instant().plus(Duration.ofHours(1)));
        assertEquals(2, store().cluster().flush(), "two messages wait");
        waitFor(() -> a.scheduler().takeDue(10).equals(List.of(ofA)), "a's message due now");
        waitFor(() -> b.scheduler().takeDue(10).equals(List.of(ofB)), "b's message due now");
    }

    @Test
    void aStaleOwnersMailGoesToAnotherAndTheStaleNodeMakesItsScheduleAgain() throws Exception {
        Node a = node("a", Duration.ofSeconds(30));
        Node b = node("b", LONG);
        QueueId id = enqueue(a.store());
        a.scheduler().schedule(id, clock.instant());
        assertEquals(0, b.claims().claim(), "a's lease holds");
        // a stood still for a minute (its heartbeat, beaten every ten seconds, is not due again yet)
        sql("UPDATE queue_nodes SET heartbeat_ns = heartbeat_ns - 60000000000 WHERE name = 'a'");
        assertEquals(1, b.claims().claim(), "b takes the stale node's mail");
        assertTrue(a.store().readOwned(id).isEmpty(), "a's attempt would find it is no longer a's");
        a.claims().beat();
        assertEquals(0, a.scheduler().size(), "a dropped what it no longer owns");
        assertTrue(a.log().stream().anyMatch(l -> l.contains("older than its lease")), a.log().toString());
        assertEquals(List.of(id), b.scheduler().takeDue(10));
    }

    @Test
    void aNodeWhosePlaceWasTakenWhileItStoodStillDeliversNothingMoreAndItsNewMailGoesToOthers() throws Exception {
        Node a = node("a", Duration.ofSeconds(30));
        Node b = node("b", LONG);
        QueueId id = enqueue(a.store());
        a.scheduler().schedule(id, clock.instant());
        // what a newcomer of its name does when a's heartbeat stood still
        sql("UPDATE queue_nodes SET stopped = true WHERE name = 'a'");
        a.claims().beat();
        assertTrue(a.log().stream().anyMatch(l -> l.contains("took its place")), a.log().toString());
        assertEquals(0, a.scheduler().size());
        assertTrue(a.store().readOwned(id).isEmpty(), "no attempt of its own any more");
        QueueId later = enqueue(a.store());
        waitFor(() -> b.scheduler().size() == 2, "b woken for the mail a takes in, and claiming a's");
        assertEquals(Set.of(id, later), new HashSet<>(b.scheduler().takeDue(10)));
        assertEquals("stopped", state(b.store(), "a"), "its heartbeat did not bring it back");
    }

    @Test
    void aNodeThatLeavesHandsItsMailOverAtOnce() throws Exception {
        Node a = node("a", Duration.ofSeconds(30));
        Node b = node("b", LONG);
        QueueId one = enqueue(a.store());
        QueueId two = enqueue(a.store());
        QueueId inFlight = enqueue(a.store());
        a.claims().stop(Set.of(inFlight));
        nodes.remove(a);
        waitFor(() -> b.scheduler().size() == 2, "b woken by a's leaving");
        assertEquals(Set.of(one, two), new HashSet<>(b.scheduler().takeDue(10)));
        assertEquals("a", store().cluster().owners().get(inFlight), "the message in flight stays a's until its lease runs out");
        assertEquals("alive", state(b.store(), "a"), "with one in flight, a is left to go stale");
        Node c = node("c", LONG);
        c.claims().stop(Set.of());
        nodes.remove(c);
        assertEquals("stopped", state(b.store(), "c"));
    }

    @Test
    void aSecondLiveNodeOfOneNameIsRefusedAndAStoppedOnesNameIsFree() throws Exception {
        // beating every two seconds: a node that did not beat for four is taken for dead
        Node first = node("same", Duration.ofSeconds(6));
        PgQueueStore other = store();
        PgClaims second = new PgClaims(other, "same", Duration.ofSeconds(6), clock, line -> {}, LONG);
        IOException refused = assertThrows(IOException.class, () -> second.start(new Scheduler(clock)));
        assertTrue(refused.getMessage().contains("another node named \"same\" is running"), refused.getMessage());
        first.claims().stop(Set.of());
        nodes.remove(first);
        Node next = node("same", Duration.ofSeconds(3));
        assertEquals("alive", state(next.store(), "same"));
        assertEquals(1, next.store().cluster().nodes().size(), "the stopped node's row, owning nothing, is gone");
    }

    @Test
    void aNodeKilledWithoutLeavingGivesItsNameAndMailToTheNextOfThatName() throws Exception {
        PgQueueStore dead = store();
        // joined, then never beat again: a process killed with kill -9
        dead.actAs("gone");
        dead.read(c -> PgNodes.join(c, dead.nodeNumber(), "gone", Duration.ofSeconds(3)));
        QueueId left = enqueue(dead);
        Node next = node("gone", Duration.ofSeconds(3));
        assertTrue(next.log().stream().anyMatch(l -> l.contains("waiting to see")), next.log().toString());
        waitFor(() -> next.scheduler().size() == 1, "the dead node's mail claimed");
        assertEquals(List.of(left), next.scheduler().takeDue(10));
    }

    @Test
    void aCommandThatNeedsTheQueueToItselfIsRefusedWhileANodeLives() throws Exception {
        PgQueueStore commandLine = store();
        commandLine.cluster().requireNoNodes();
        Node a = node("a", LONG);
        IOException refused = assertThrows(IOException.class, () -> commandLine.cluster().requireNoNodes());
        assertTrue(refused.getMessage().contains("Petrel node(s) a deliver from this PostgreSQL queue"),
                refused.getMessage());
        a.claims().stop(Set.of());
        nodes.remove(a);
        commandLine.cluster().requireNoNodes();
    }

    @Test
    void eachEventNamesTheNodeThatWroteIt() throws Exception {
        Node a = node("a", LONG);
        enqueue(a.store());
        PgQueueStore commandLine = store();
        enqueue(commandLine);
        List<EventFeed.Entry> events = commandLine.read(0, 10);
        assertEquals(2, events.size());
        assertEquals("a", events.get(0).node());
        assertNull(events.get(1).node(), "the command line is no node");
    }

    private static String state(PgQueueStore s, String name) throws IOException {
        return s.cluster().nodes().stream().filter(n -> n.name().equals(name)).map(NodeStatus::state).findFirst()
                .orElse("none");
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
