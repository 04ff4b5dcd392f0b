package dev.petrel.store.postgres;

import dev.petrel.queue.QueueException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The advisory lock a server holds on its database for as long as it runs, on a connection of its own: one server
 * per database until nodes share the queue by leases (issue 19), since each server loads every queued message into
 * its scheduler and two would deliver each message twice. The lock goes with the connection, also when the server
 * is killed (PostgreSQL ends the session when its socket closes).
 */
final class ServerLock implements AutoCloseable {

    /** The lock's key ("petrel-serve"). */
    static final long KEY = 0x7065747265_73L;

    private final Connection connection;

    private ServerLock(Connection connection) {
        this.connection = connection;
    }

    /** Takes the lock; throws, saying why, when another server holds it. */
    static ServerLock take(DataSource source) throws QueueException {
        try {
            Connection c = source.getConnection();
            try (PreparedStatement q = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                q.setLong(1, KEY);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next() && r.getBoolean(1)) {
                        return new ServerLock(c);
                    }
                }
            }
            c.close();
        } catch (SQLException e) {
            throw new QueueException("PostgreSQL queue: " + e.getMessage(), e);
        }
        throw new QueueException("another Petrel server delivers from this PostgreSQL queue; several servers on one"
                + " database are not supported yet (each would deliver every message)");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the lock goes with the session either way
        }
    }
}
