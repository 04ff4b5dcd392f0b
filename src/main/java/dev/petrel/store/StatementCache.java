package dev.petrel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * The statements each SQLite connection of the pool has prepared, kept for the next use of the same SQL: preparing
 * ({@code sqlite3_prepare}) is most of what a read by key costs (a third of the send API's SQL time under load),
 * and the server reads keys, domains and suppressions for every message. A connection is used by one thread at a
 * time (the pool's rule), so its statements are too. Each connection keeps at most {@link #PER_CONNECTION}, the
 * least recently used closed first. A statement whose use failed is closed, not kept. Closing a result set resets
 * its statement (SQLite's {@code sqlite3_reset}), so a kept statement holds no read transaction open between uses.
 * The statements of a connection the pool has closed are closed with it (SQLite finalizes them) and forgotten.
 * PostgreSQL needs none of this: its driver keeps prepared statements per connection itself.
 */
final class StatementCache {

    /** The most statements kept per connection. */
    static final int PER_CONNECTION = 64;

    /** Binds, runs and reads a statement; it must close what it opens (the result set), never the statement. */
    @FunctionalInterface
    interface Use<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    /** Runs {@code use} on the connection's statement for {@code sql}, prepared now or kept from an earlier use. */
    <T> T run(Connection pooled, String sql, Use<T> use) throws SQLException {
        Connection connection = pooled.unwrap(SQLiteConnection.class);
        Map<String, PreparedStatement> kept = statements(connection);
        PreparedStatement statement = kept.remove(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
        }
        T result;
        try {
            result = use.run(statement);
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        kept.put(sql, statement);
        return result;
    }

    /** How many statements are kept for the connection (tests). */
    int kept(Connection pooled) throws SQLException {
        return statements(pooled.unwrap(SQLiteConnection.class)).size();
    }

    private Map<String, PreparedStatement> statements(Connection connection) {
        Map<String, PreparedStatement> kept = byConnection.get(connection);
        if (kept == null) {
            // a new connection of the pool: those it replaced are closed, and their statements with them
            byConnection.keySet().removeIf(StatementCache::closed);
            kept = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                    if (size() <= PER_CONNECTION) {
                        return false;
                    }
                    close(eldest.getValue());
                    return true;
                }
            };
            byConnection.put(connection, kept);
        }
        return kept;
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void close(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // finalizing a statement fails only with its connection gone, which has finalized it already
        }
    }
}
