package dev.petrel.store.postgres;

import dev.petrel.mail.QueueId;
import dev.petrel.queue.QueueException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The nodes that share the queue, and the mail each owns (schema in {@code V18__queue_nodes.sql}): a node joins
 * under its name, beats its heartbeat, claims the mail of nobody and of nodes gone, and hands its own over when it
 * leaves. Instants of heartbeats are the database's ({@link #NOW}), so the nodes' clocks need not agree; due times
 * are the writers' own, as every node writes them.
 */
final class PgNodes {

    /** The channel that wakes nodes: mail without an owner ({@code new}), a release, a flush, a node gone. */
    static final String CHANNEL = "petrel_queue";
    /** The database's time now, in nanoseconds since 1970. */
    static final String NOW = "(extract(epoch FROM clock_timestamp()) * 1000000000)::bigint";
    // the advisory lock of a node's name while it joins (with hashtext of the name): two starting at once see each other
    private static final int NAME_LOCK = 0x7065_7472;

    /** One message claimed: due then. */
    record Claimed(QueueId id, Instant due) {}

    /** A row of {@code queue_nodes}, as {@code petrel node list} shows it; ages by the database's clock. */
    record Row(String name, int number, Instant started, Instant heartbeat, Duration age, Duration lease,
               boolean stopped, long owned) {

        /** alive, stale (its lease ran out: its mail is up for claiming) or stopped. */
        String state() {
            return stopped ? "stopped" : age.compareTo(lease) > 0 ? "stale" : "alive";
        }
    }

    private PgNodes() {}

    static void notify(Connection c, String what) throws SQLException {
        try (PreparedStatement n = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            n.setString(1, CHANNEL);
            n.setString(2, what);
            n.executeQuery().close();
        }
    }

    /**
     * The live node of this name (not stopped, its heartbeat within its lease), but this one; null when none. Its
     * heartbeat tells whether it still beats.
     */
    static Row live(Connection c, String name, int me) throws SQLException {
        return list(c).stream().filter(r -> r.name().equals(name) && r.number() != me && r.state().equals("alive"))
                .findFirst().orElse(null);
    }

    /**
     * Joins as node {@code number} named {@code name}: its row, alive from now; rows of earlier nodes of this name
     * that stopped or went stale and own nothing go. Under the name's lock, so two joining at once see each other.
     * Returns the live node of that name when there is one (then nothing is written), null once joined.
     */
    static Row join(Connection c, int number, String name, Duration lease) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, NAME_LOCK);
                lock.setString(2, name);
                lock.executeQuery().close();
            }
            Row other = live(c, name, number);
            if (other != null) {
                c.rollback();
                return other;
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM queue_nodes n WHERE name = ? AND (stopped OR"
                    + " heartbeat_ns < " + NOW + " - lease_ns) AND NOT EXISTS (SELECT 1 FROM queue_messages m"
                    + " WHERE m.owner = n.number)")) {
                d.setString(1, name);
                d.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO queue_nodes (number, name, started_ns,"
                    + " heartbeat_ns, lease_ns, stopped) VALUES (?, ?, " + NOW + ", " + NOW + ", ?, false)")) {
                i.setInt(1, number);
                i.setString(2, name);
                i.setLong(3, lease.toNanos());
                i.executeUpdate();
            }
            c.commit();
            return null;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** What a heartbeat found. */
    enum Beat {
        /** The one before was within the lease. */
        FRESH,
        /** The one before was older than the lease: others may have taken the node's mail meanwhile. */
        STALE,
        /** The node was marked stopped, or its row is gone: a node of its name took its place while it stood still. */
        REPLACED
    }

    /** Beats the heartbeat of node {@code number} in one statement. */
    static Beat beat(Connection c, int number) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE queue_nodes n SET heartbeat_ns = " + NOW
                + " FROM (SELECT heartbeat_ns FROM queue_nodes WHERE number = ?) o"
                + " WHERE n.number = ? AND NOT n.stopped RETURNING n.heartbeat_ns - o.heartbeat_ns > n.lease_ns")) {
            u.setInt(1, number);
            u.setInt(2, number);
            try (ResultSet r = u.executeQuery()) {
                return !r.next() ? Beat.REPLACED : r.getBoolean(1) ? Beat.STALE : Beat.FRESH;
            }
        }
    }

    /**
     * Claims for node {@code me} up to {@code max} messages, not held, due by {@code soon} (nanoseconds), that
     * nobody owns or whose owner stopped, went stale or is gone; others' claims running at once are skipped, not
     * waited for, so two nodes never claim one message.
     */
    static List<Claimed> claim(Connection c, int me, long soon, int max) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE queue_messages SET owner = ? WHERE id IN ("
                + "SELECT m.id FROM queue_messages m LEFT JOIN queue_nodes n ON n.number = m.owner"
                + " WHERE NOT m.held AND m.next_attempt_ns <= ? AND (m.owner IS NULL OR n.number IS NULL OR n.stopped"
                + " OR n.heartbeat_ns < " + NOW + " - n.lease_ns) AND m.owner IS DISTINCT FROM ?"
                + " ORDER BY m.next_attempt_ns LIMIT ? FOR UPDATE OF m SKIP LOCKED)"
                + " RETURNING id, next_attempt_ns")) {
            u.setInt(1, me);
            u.setLong(2, soon);
            u.setInt(3, me);
            u.setInt(4, max);
            return claimed(u);
        }
    }

    /** The messages node {@code me} owns and are not held: its schedule, made again. */
    static List<Claimed> owned(Connection c, int me) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, next_attempt_ns FROM queue_messages"
                + " WHERE owner = ? AND NOT held")) {
            q.setInt(1, me);
            return claimed(q);
        }
    }

    private static List<Claimed> claimed(PreparedStatement q) throws SQLException {
        List<Claimed> out = new ArrayList<>();
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(new Claimed(new QueueId(r.getString(1)), PgQueueRows.instant(r.getLong(2))));
            }
        }
        return out;
    }

    /**
     * Node {@code me} leaves: its messages but {@code inFlight} go to nobody, and the others are woken to claim
     * them. With none in flight it is marked stopped; otherwise it is left to go stale, its lease guarding the
     * messages whose attempts may still finish.
     */
    static int leave(Connection c, int me, Collection<QueueId> inFlight) throws SQLException {
        int handed;
        try (PreparedStatement u = c.prepareStatement("UPDATE queue_messages SET owner = NULL WHERE owner = ?"
                + " AND NOT (id = ANY (?))")) {
            u.setInt(1, me);
            u.setArray(2, c.createArrayOf("text", inFlight.stream().map(QueueId::value).toArray()));
            handed = u.executeUpdate();
        }
        if (inFlight.isEmpty()) {
            try (PreparedStatement u = c.prepareStatement("UPDATE queue_nodes SET stopped = true, heartbeat_ns = "
                    + NOW + " WHERE number = ?")) {
                u.setInt(1, me);
                u.executeUpdate();
            }
        }
        notify(c, "left");
        return handed;
    }

    /** Marks a node stopped whose heartbeat stood still for longer than it beats: it is gone, its mail free. */
    static Void stopped(Connection c, int number) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE queue_nodes SET stopped = true WHERE number = ?")) {
            u.setInt(1, number);
            u.executeUpdate();
        }
        notify(c, "left");
        return null;
    }

    /** Every node, by name and number, with the messages each owns. */
    static List<Row> list(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT n.number, n.name, n.started_ns, n.heartbeat_ns, "
                + NOW + " - n.heartbeat_ns, n.lease_ns, n.stopped, (SELECT count(*) FROM queue_messages m"
                + " WHERE m.owner = n.number) FROM queue_nodes n ORDER BY n.name, n.number");
             ResultSet r = q.executeQuery()) {
            List<Row> out = new ArrayList<>();
            while (r.next()) {
                out.add(new Row(r.getString(2), r.getInt(1), PgQueueRows.instant(r.getLong(3)),
                        PgQueueRows.instant(r.getLong(4)), Duration.ofNanos(Math.max(0, r.getLong(5))),
                        Duration.ofNanos(r.getLong(6)), r.getBoolean(7), r.getLong(8)));
            }
            return out;
        }
    }

    /** Refuses a second live node of one name, saying so. */
    static QueueException duplicate(String name, Row other) {
        return new QueueException("another node named \"" + name + "\" is running on this database (node "
                + other.number() + ", its last heartbeat " + other.age().toMillis() / 1000 + "s ago): give each"
                + " node its own [cluster] node name");
    }
}
