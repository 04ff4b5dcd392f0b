package dev.petrel.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The committer's connection and the statements it prepared (kept, so PostgreSQL plans each once), in one
 * transaction at a time. Its commits are synchronous whatever the server's default: a commit returns once it is in
 * PostgreSQL's log on disk. The first write of events in a transaction takes the feed's advisory lock, held until
 * the commit, so events are numbered in the order their transactions commit, whichever process writes them (the
 * committer takes it first of all, before any row's lock).
 */
final class PgSession implements AutoCloseable {

    /** The advisory lock key of the event feed's numbering ("petrel-feed"). */
    static final long FEED_LOCK = 0x7065747265_6cL;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean feedLocked;
    private long lastEvent;

    private PgSession(Connection connection) {
        this.connection = connection;
    }

    /**
     * A session on a connection of the pool; when the first one fails (the pool may hold connections a restart of
     * PostgreSQL broke, which it drops once they fail), on a second.
     */
    static PgSession open(DataSource source) throws SQLException {
        try {
            return openOnce(source);
        } catch (SQLException e) {
            return openOnce(source);
        }
    }

    private static PgSession openOnce(DataSource source) throws SQLException {
        Connection c = source.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = on");
            c.setAutoCommit(false);
            return new PgSession(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    /** An array of integers for {@code = ANY (?)}. */
    java.sql.Array integers(java.util.Collection<Integer> values) throws SQLException {
        return connection.createArrayOf("integer", values.toArray());
    }

    /** An array of texts for {@code unnest(?::text[])}. */
    java.sql.Array texts(java.util.Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    /** This transaction's commit need not wait for the disk. */
    void lazily() throws SQLException {
        statement("SET LOCAL synchronous_commit = off").execute();
    }

    /** Takes the feed's lock for this transaction (once). */
    void lockFeed() throws SQLException {
        if (!feedLocked) {
            PreparedStatement s = statement("SELECT pg_advisory_xact_lock(?)");
            s.setLong(1, FEED_LOCK);
            try (ResultSet r = s.executeQuery()) {
                r.next();
            }
            feedLocked = true;
        }
    }

    /** Notes the number of an event written in this transaction. */
    void wroteEvent(long id) {
        lastEvent = Math.max(lastEvent, id);
    }

    /** Commits; returns the number of the last event it wrote (0 when none). */
    long commit() throws SQLException {
        connection.commit();
        return reset();
    }

    void rollback() throws SQLException {
        reset();
        connection.rollback();
    }

    private long reset() {
        long last = lastEvent;
        lastEvent = 0;
        feedLocked = false;
        return last;
    }

    boolean usable() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // a broken connection: nothing of it is kept
        }
    }
}
