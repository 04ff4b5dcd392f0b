package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/** The queue's contract on the embedded journal. */
class JournalContractTest extends QueueStoreContract {

    @TempDir
    Path dir;

    private long seed;

    @Override
    protected QueueStore open(Clock clock) throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(++seed), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    @Override
    protected void afterConcurrentEnqueues(QueueStore store, int messages) {
        long[] counts = ((JournalQueueStore) store).commitCounts();
        assertTrue(counts[1] < messages, "fsyncs shared: " + counts[1] + " for " + messages + " messages");
    }
}
