package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.QueueView;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Chooses the queue the configuration names: the embedded journal under {@code data_dir/queue} today, the
 * PostgreSQL queue of several nodes later. Everything else sees only {@code QueueStore} and {@code QueueView}.
 */
final class Queues {

    private Queues() {}

    /** The queue, owned by this process until closed (a running server holds it otherwise). */
    static JournalQueueStore open(Config config, Clock clock, RandomGenerator random) throws IOException {
        return JournalQueueStore.open(config.queueDir(), clock, random, JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    /** As {@link #open(Config, Clock, RandomGenerator)}, its group commits and fsyncs shown in {@code meters}. */
    static JournalQueueStore open(Config config, Clock clock, RandomGenerator random, MeterRegistry meters)
            throws IOException {
        return JournalQueueStore.open(config.queueDir(), clock, random, JournalQueueStore.DEFAULT_SEGMENT_SIZE, meters);
    }

    /**
     * Makes the configuration's queue new, its event feed going on after {@code last}, for a copy of another
     * store's queue (see {@link dev.petrel.queue.QueueCopy}).
     */
    static void prepareCopy(Config config, long last) throws IOException {
        JournalQueueStore.continueFeed(config.queueDir(), last);
    }

    /** What the queue holds, for reading, also while a server owns it. */
    static QueueView view(Config config) {
        return JournalQueueStore.view(config.queueDir());
    }
}
