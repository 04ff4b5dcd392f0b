package dev.petrel.store.postgres;

import dev.petrel.event.ConsumerLocks;
import dev.petrel.event.Cursors;
import dev.petrel.queue.QueueException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The consumers' locks on PostgreSQL: one session-level advisory lock per consumer, all held on one connection of
 * this process's own, so that a node that dies (its socket closed) loses them at once and the others take its
 * consumers over. A lock per consumer rather than one for all: each consumer runs where it is configured (a node
 * without {@code [reputation]} never takes the guard), and the consumers of a dead node go to whichever node tries
 * first, each on its own. Every {@link Timing#tryEvery} the connection is checked ({@code SELECT 1}) and the free
 * locks wanted here are tried; a failed check stops this node's consumers before the connection is closed. A node
 * cut off from PostgreSQL notices within {@link Timing#tryEvery} plus {@link Timing#socketTimeout}, well before
 * PostgreSQL ends its idle session ({@link Timing#idleSession}) and gives its locks to another node. Cursors are saved on the same
 * connection, and only while the session holds the consumer's lock: a node that lost a consumer cannot save its
 * cursor after the new holder started.
 */
final class PgConsumerLocks implements ConsumerLocks, AutoCloseable {

    /**
     * The lock's times; {@code tryEvery + socketTimeout} must stay well under {@code idleSession}.
     *
     * @param tryEvery how often a lock wanted here and not held is tried again, and the connection checked
     * @param socketTimeout how long a check or a save may wait for PostgreSQL before the connection counts as failed
     *     (whole seconds)
     * @param idleSession how long PostgreSQL keeps a session that sends nothing (a node cut off or frozen): then
     *     its locks go to another node
     */
    record Timing(Duration tryEvery, Duration socketTimeout, Duration idleSession) {
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /** The first key of every consumer's lock ("petr"); the second is the CRC-32 of the consumer's name. */
    static final int NAMESPACE = 0x70657472;

    private static final String SAVE = "INSERT INTO queue_cursors (reader, cursor) SELECT ?, ? WHERE EXISTS"
            + " (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
            + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2)"
            + " ON CONFLICT (reader) DO UPDATE SET cursor = excluded.cursor";

    private final PGSimpleDataSource source;
    private final PgQueueStore queue;
    private final Map<String, Holder> wanted = new LinkedHashMap<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    // guards the connection: the checks, the locks and the cursors' saves take turns on it
    private final Object session = new Object();
    private Connection connection;
    private final Timing timing;
    private final Thread thread;
    private volatile boolean closed;

    PgConsumerLocks(PGSimpleDataSource pooled, PgQueueStore queue, Timing timing) {
        this.timing = timing;
        this.source = new PGSimpleDataSource();
        // the URL the pooled source makes leaves its user and password out
        source.setURL(pooled.getURL());
        source.setUser(pooled.getUser());
        source.setPassword(pooled.getPassword());
        source.setTcpKeepAlive(true);
        source.setSocketTimeout((int) timing.socketTimeout().toSeconds());
        source.setConnectTimeout((int) timing.socketTimeout().toSeconds());
        source.setApplicationName("petrel consumer locks");
        this.queue = queue;
        this.thread = Thread.ofPlatform().name("petrel-consumer-locks").daemon(true).start(this::run);
    }

    /** The lock's second key: the CRC-32 of the consumer's name. */
    static int key(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    @Override
    public synchronized void watch(String name, Holder holder) throws IOException {
        queue.reads(name);
        wanted.put(name, holder);
        if (alive()) {
            tryTake(name, holder);
        }
    }

    @Override
    public synchronized void release(String name) {
        wanted.remove(name);
        if (held.remove(name)) {
            synchronized (session) {
                try {
                    lockQuery("SELECT pg_advisory_unlock(?, ?)", name);
                } catch (SQLException e) {
                    // a failed connection has given it back already
                }
            }
        }
    }

    /** The consumers whose lock this process holds. */
    Set<String> held() {
        return Set.copyOf(held);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(timing.tryEvery());
                round();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // the connection checked (the consumers stopped when it failed), then the free locks wanted here tried
    private synchronized void round() {
        if (closed) {
            return;
        }
        if (!alive()) {
            loseAll();
            return;
        }
        for (Map.Entry<String, Holder> w : List.copyOf(wanted.entrySet())) {
            if (!held.contains(w.getKey())) {
                try {
                    tryTake(w.getKey(), w.getValue());
                } catch (IOException | RuntimeException e) {
                    // given back: tried again at the next round
                }
            }
        }
    }

    private void tryTake(String name, Holder holder) throws IOException {
        boolean taken;
        synchronized (session) {
            try {
                taken = lockQuery("SELECT pg_try_advisory_lock(?, ?)", name);
            } catch (SQLException e) {
                return;
            }
        }
        if (!taken) {
            return;
        }
        held.add(name);
        try {
            holder.taken(new Fenced(name));
        } catch (IOException | RuntimeException e) {
            release(name);
            wanted.put(name, holder);
            throw e;
        }
    }

    private boolean lockQuery(String sql, String name) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(sql)) {
            q.setInt(1, NAMESPACE);
            q.setInt(2, key(name));
            try (ResultSet r = q.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    // true when the connection answers, or a new one could be made (holding no lock yet)
    private boolean alive() {
        synchronized (session) {
            try {
                if (connection == null) {
                    connection = connect();
                    return true;
                }
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT 1");
                }
                return true;
            } catch (SQLException e) {
                return false;
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection c = source.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = on");
            s.execute("SET idle_session_timeout = " + timing.idleSession().toMillis());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    // the consumers stop first, then the connection (and what locks it may still hold) goes
    private void loseAll() {
        for (String name : List.copyOf(held)) {
            Holder holder = wanted.get(name);
            if (holder != null) {
                holder.lost();
            }
            held.remove(name);
        }
        synchronized (session) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the session ends with its socket either way
                }
                connection = null;
            }
        }
    }

    /** Stops trying; a consumer still running here is abandoned, and the locks go with the connection. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            loseAll();
        }
    }

    /** A consumer's cursors: loaded from the queue, saved on the lock's session only while it holds the lock. */
    private final class Fenced implements Cursors {
        private final String lock;

        Fenced(String lock) {
            this.lock = lock;
        }

        @Override
        public long load(String reader) throws IOException {
            return queue.load(reader);
        }

        @Override
        public void save(String reader, long cursor) throws IOException {
            synchronized (session) {
                if (connection == null || !held.contains(lock)) {
                    throw new QueueException("the lock of " + lock + " is lost: its cursor is not saved");
                }
                try (PreparedStatement u = connection.prepareStatement(SAVE)) {
                    u.setString(1, reader);
                    u.setLong(2, cursor);
                    u.setLong(3, Integer.toUnsignedLong(NAMESPACE));
                    u.setLong(4, Integer.toUnsignedLong(key(lock)));
                    if (u.executeUpdate() == 0) {
                        throw new QueueException("the lock of " + lock + " is lost: its cursor is not saved");
                    }
                } catch (SQLException e) {
                    throw new QueueException("PostgreSQL queue: " + e.getMessage(), e);
                }
            }
            queue.saved(reader, cursor);
        }
    }
}
