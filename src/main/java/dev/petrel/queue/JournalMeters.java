package dev.petrel.queue;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * The journal's metrics, recorded on its committer thread: how many records each group commit wrote (the more
 * sessions share one fsync, the larger), and how long each fsync took.
 */
final class JournalMeters {

    private final DistributionSummary groupSize;
    private final Timer fsync;

    JournalMeters(MeterRegistry registry) {
        this.groupSize = DistributionSummary.builder("petrel.queue.group.commit")
                .description("Journal records written together in one group commit").baseUnit("records")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
        this.fsync = Timer.builder("petrel.queue.fsync")
                .description("Time one fsync of the journal took")
                .serviceLevelObjectives(Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(2),
                        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(registry);
    }

    /** Meters that go nowhere, for a queue opened without metrics (the command line, tests). */
    static JournalMeters none() {
        return new JournalMeters(new CompositeMeterRegistry());
    }

    void committed(int records) {
        groupSize.record(records);
    }

    void synced(long nanos) {
        fsync.record(Duration.ofNanos(nanos));
    }
}
