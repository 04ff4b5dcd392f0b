package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: a node killed with SIGKILL in the middle of deliveries, repeatedly. Two nodes share one PostgreSQL with a
 * lease of 5 s (short, yet longer than a busy machine's stalls, which would let a live node's mail in flight be
 * claimed) and take mail continuously (SMTP and the HTTP send API) for a real receiver (Python's aiosmtpd); one of
 * them is killed, started again, then the other, three kills in all; the receiver keeps each message 0.3 s
 * before it answers 250, so that each kill finds deliveries in flight. After each kill, within the lease and a margin,
 * no due message is still owned by the dead node (the other claimed them), and once the next attempt of its attempts
 * in flight has come too, nothing is. In the end every acknowledged message
 * reaches the receiver (by its Message-ID), and a message arrives twice only if it was the dead node's when it was
 * killed (its attempt may have reached the receiver before the outcome was written): duplicates are counted and
 * bounded by what the dead nodes held.
 */
@ExtendWith(PostgresExtension.class)
class ClusterKillTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final int NODES = 2;
    private static final int KILLS = 3;
    private static final Duration LEASE = Duration.ofSeconds(5);
    /** Beyond the lease: the other node's claim runs every 2 s (or sooner, woken by NOTIFY), and the machine is shared. */
    private static final Duration MARGIN = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final int PROGRESS = 5;
    /** The receiver keeps each message, then waits this many seconds before its 250: deliveries are in flight. */
    private static final String SINK_DELAY = "0.3";

    @Test
    void everyAcknowledgedMessageIsDeliveredAcrossKillsAndOnlyTheDeadNodesMailTwice(PrivatePostgres postgres)
            throws Exception {
        String url = postgres.newDatabase();
        String jdbc = "jdbc:" + url;
        try (ClusterNodes nodes = ClusterNodes.create(scratch, url, NODES, LEASE.toSeconds() + "s",
                "slow_sink.py", SINK_DELAY)) {
            nodes.startAll();
            Set<String> heldByTheDead = new HashSet<>();
            try (ClusterLoad load = ClusterLoad.start(nodes.apiKey, NODES, nodes::ports, 1, 1, 2000,
                    Duration.ofSeconds(90))) {
                for (int kill = 0; kill < KILLS; kill++) {
                    int victim = kill % NODES;
                    int before = load.acknowledgedBy(victim);
                    load.await(WAIT, "node" + (victim + 1) + " at work", () ->
                            load.acknowledgedBy(victim) >= before + PROGRESS);
                    heldByTheDead.addAll(kill(nodes, victim, load, jdbc));
                }
                load.close();
                assertEquals(List.of(), load.unexpected, "nothing but 250 and 200, and broken connections at the kills");
                Map<String, Integer> delivered = load.awaitDelivered(nodes.sinkDir, DELIVERY);
                Set<String> twice = new TreeSet<>();
                delivered.forEach((id, n) -> {
                    if (n > 1) {
                        twice.add(id);
                    }
                });
                System.out.println("ClusterKillTest: " + load.describe() + "; " + heldByTheDead.size()
                        + " held by the killed nodes at their kills; delivered twice: " + twice.size() + " " + twice);
                assertTrue(delivered.keySet().containsAll(load.acknowledged.keySet()), "nothing acknowledged is lost");
                assertTrue(heldByTheDead.containsAll(twice), "only the killed nodes' mail arrived twice: " + twice
                        + " against " + heldByTheDead);
                assertTrue(delivered.values().stream().allMatch(n -> n <= 1 + KILLS), "no message more than once a kill");
            }
        }
    }

    /**
     * Kills node {@code victim} with SIGKILL, waits until the other nodes have claimed its due mail, and starts it
     * again; returns the Message-IDs of the mail it held when it died.
     */
    private static Set<String> kill(ClusterNodes nodes, int victim, ClusterLoad load, String jdbc) throws Exception {
        int number = liveNumber(jdbc, "node" + (victim + 1));
        load.tolerateBroken.set(true);
        assertEquals(128 + 9, nodes.server(victim).killHard());
        long killed = System.nanoTime();
        Set<String> held = owned(jdbc, number);
        Poll.until(LEASE.plus(MARGIN), "no due message owned by node" + (victim + 1) + " (number " + number
                + ") after its kill", () -> dueOwnedBy(jdbc, number, true) == 0 ? true : null);
        long due = System.nanoTime() - killed;
        // the mail of its attempts in flight is due at their next attempt (first_retry, at most max_retry, later)
        Poll.until(LEASE.plus(ClusterNodes.MAX_RETRY).plus(MARGIN).minusNanos(due), "nothing owned by node"
                + (victim + 1) + " (number " + number + ") after its kill", () ->
                dueOwnedBy(jdbc, number, false) == 0 ? true : null);
        System.out.println("ClusterKillTest: node" + (victim + 1) + " (number " + number + ") held " + held.size()
                + " messages at its kill; no due one was its own after " + Duration.ofNanos(due).toMillis()
                + " ms, none at all after " + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms");
        nodes.start(victim);
        load.tolerateBroken.set(false);
        return held;
    }

    // the number of the live process that serves as this node
    private static int liveNumber(String jdbc, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc);
             PreparedStatement q = c.prepareStatement("SELECT number FROM queue_nodes WHERE name = ? AND NOT stopped"
                     + " ORDER BY started_ns DESC LIMIT 1")) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), name + " has no row in queue_nodes");
                return r.getInt(1);
            }
        }
    }

    private static Set<String> owned(String jdbc, int number) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbc);
             PreparedStatement q = c.prepareStatement("SELECT content FROM queue_messages WHERE owner = ?")) {
            q.setInt(1, number);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    ids.add(ClusterLoad.messageId(r.getBytes(1)));
                }
            }
        }
        return ids;
    }

    // messages the dead node still owns (only the due ones: not held, next attempt passed on the database's clock)
    private static int dueOwnedBy(String jdbc, int number, boolean dueOnly) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc);
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM queue_messages WHERE owner = ?" + (dueOnly
                     ? " AND NOT held AND next_attempt_ns <= (extract(epoch FROM clock_timestamp()) * 1e9)::bigint"
                     : ""))) {
            q.setInt(1, number);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
