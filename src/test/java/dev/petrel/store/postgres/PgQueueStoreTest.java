package dev.petrel.store.postgres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueStoreContract;
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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The queue's contract on a private PostgreSQL, a database of each test's own. */
@ExtendWith(PostgresExtension.class)
class PgQueueStoreTest extends QueueStoreContract {

    // one database for the class, its schema made once (as a server's start makes it), emptied before each test
    private static String url;

    @TempDir
    Path dataDir;

    PgQueueStoreTest(PrivatePostgres postgres) throws SQLException {
        synchronized (PgQueueStoreTest.class) {
            if (url == null) {
                url = postgres.newDatabase();
            }
        }
    }

    @BeforeEach
    void emptyQueue() throws IOException, SQLException {
        Stores.open(url, dataDir, List.of(), line -> {}).close();
        try (Connection c = DriverManager.getConnection("jdbc:" + url); Statement s = c.createStatement()) {
            s.execute("TRUNCATE queue_messages, queue_recipients, queue_events, queue_cursors RESTART IDENTITY");
        }
    }

    @Override
    protected QueueStore open(Clock clock) throws IOException {
        return PgQueueStore.open(url, clock);
    }

    @Override
    protected void afterConcurrentEnqueues(QueueStore store, int messages) {
        long[] counts = ((PgQueueStore) store).commitCounts();
        assertTrue(counts[1] < messages, "commits shared: " + counts[1] + " for " + counts[0] + " writes");
    }
}
