package dev.petrel.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A pool of connections to the store's database and the few ways the SQL stores use it: every statement is
 * prepared, its parameters bound in order; a transaction runs on one connection and commits or rolls back whole.
 */
final class Database implements AutoCloseable {

    /** Turns the current row of a result into a value. */
    @FunctionalInterface
    interface Rows<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Work done in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Engine engine;
    private final HikariDataSource pool;
    // SQLite's: reads and single writes outside a transaction reuse their connection's statements
    private final StatementCache statements;

    private Database(Engine engine, HikariDataSource pool) {
        this.engine = engine;
        this.pool = pool;
        this.statements = engine == Engine.SQLITE ? new StatementCache() : null;
    }

    /**
     * A pool over {@code source}.
     *
     * @param name the pool's name in thread names
     */
    static Database pooled(Engine engine, DataSource source, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        // a command line use needs one connection; the pool grows under a server's load
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        try {
            return new Database(engine, new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StoreException(engine.title() + " store: cannot connect: " + cause.getMessage(), e);
        }
    }

    Engine engine() {
        return engine;
    }

    DataSource dataSource() {
        return pool;
    }

    <T> List<T> query(String sql, Rows<T> rows, Object... parameters) {
        if (statements == null) {
            return connected(c -> query(c, sql, rows, parameters));
        }
        return connected(c -> statements.run(c, sql, statement -> {
            bind(statement, parameters);
            return rows(statement, rows);
        }));
    }

    <T> Optional<T> queryOne(String sql, Rows<T> rows, Object... parameters) {
        List<T> found = query(sql, rows, parameters);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    int update(String sql, Object... parameters) {
        if (statements == null) {
            return connected(c -> update(c, sql, parameters));
        }
        return connected(c -> statements.run(c, sql, statement -> {
            bind(statement, parameters);
            return statement.executeUpdate();
        }));
    }

    /** The statements kept for SQLite connections; null for PostgreSQL (tests). */
    StatementCache statements() {
        return statements;
    }

    static <T> List<T> query(Connection c, String sql, Rows<T> rows, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, parameters)) {
            return rows(statement, rows);
        }
    }

    // runs the query and reads every row; the result set is closed (on SQLite that resets the statement)
    private static <T> List<T> rows(PreparedStatement statement, Rows<T> rows) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (result.next()) {
                out.add(rows.map(result));
            }
            return out;
        }
    }

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            bind(statement, parameters);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    // every parameter of the statement, in order: a kept statement's earlier values are all replaced
    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }

    /**
     * Runs the work on a connection of its own, each statement committed by itself. Reads go this way: on SQLite a
     * transaction takes the write lock at once (so that it cannot fail half-way on a lock), which reads need not.
     */
    <T> T connected(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T transaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                // what went wrong first is what the operator reads (SQLITE_FULL, say): a failing rollback (SQLite has
                // rolled back by itself after a full disk) is kept beside it, never in its place
                undo(c, e);
                throw e;
            }
            c.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Runs the work in one transaction whose commit need not reach the disk at once: what it writes survives a
     * crash of the process (it is in the database's log, in the kernel's cache), and the next durable commit, or
     * the operating system within seconds, puts it on disk. Webhook deliveries acknowledged, claimed or rescheduled
     * are written so (losing one on a power cut only sends an event again), and the message log (its reader reads the
     * events again from a cursor saved only after a durable commit). On SQLite (WAL) that is
     * {@code synchronous = NORMAL} for the transaction; on PostgreSQL {@code synchronous_commit = off}.
     */
    <T> T lazily(Work<T> work) {
        if (engine == Engine.POSTGRESQL) {
            return transaction(c -> {
                update(c, "SET LOCAL synchronous_commit = off");
                return work.run(c);
            });
        }
        // the setting is read at the commit, so it is put back only after it
        return connected(c -> {
            pragma(c, "PRAGMA synchronous = NORMAL");
            try {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } finally {
                pragma(c, "PRAGMA synchronous = FULL");
            }
        });
    }

    private static void pragma(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void undo(Connection c, Exception cause) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private StoreException failure(SQLException e) {
        return new StoreException(engine.title() + " store: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
