package dev.petrel.store.postgres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueStoreContract;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The queue's contract on a private PostgreSQL, a database of each test's own. */
@ExtendWith(PostgresExtension.class)
class PgQueueStoreTest extends QueueStoreContract {

    private final String url;

    @TempDir
    Path dataDir;

    PgQueueStoreTest(PrivatePostgres postgres) throws SQLException {
        url = postgres.newDatabase();
    }

    @Override
    protected QueueStore open(Clock clock) throws IOException {
        return PgQueueStore.open(url, dataDir, clock);
    }

    @Override
    protected void afterConcurrentEnqueues(QueueStore store, int messages) {
        long[] counts = ((PgQueueStore) store).commitCounts();
        assertTrue(counts[1] < messages, "commits shared: " + counts[1] + " for " + counts[0] + " writes");
    }
}
