package dev.petrel.store.postgres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueueStoreContract;
import dev.petrel.store.Stores;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
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

    // what a server does first: the stores' opening brings the schema up to date
    @BeforeEach
    void migrate() throws IOException {
        Stores.open(url, dataDir, List.of(), line -> {}).close();
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
