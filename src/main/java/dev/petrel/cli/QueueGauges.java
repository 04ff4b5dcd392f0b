package dev.petrel.cli;

import dev.petrel.queue.QueueView;
import dev.petrel.queue.QueueShape;
import dev.petrel.queue.QueuedMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The queue's depth for {@code /metrics}: messages by state (active: not tried yet; deferred: tried and waiting
 * for the next attempt; held) and recipients still to deliver by age, in qshape's buckets ({@link QueueShape}).
 * Listing the queue costs in proportion to its size, so a scrape uses a snapshot at most {@code maxAge} old and
 * lists it again only when that is older: scrapes every few seconds of a large queue stay cheap.
 */
final class QueueGauges {

    private static final List<String> STATES = List.of("active", "deferred", "held");

    private final QueueView queue;
    private final Clock clock;
    private final Duration maxAge;
    private volatile Snapshot snapshot = new Snapshot(Instant.MIN, new long[STATES.size()], new long[0]);

    private record Snapshot(Instant taken, long[] messages, long[] recipientsByAge) {}

    QueueGauges(QueueView queue, Clock clock, Duration maxAge, MeterRegistry registry) {
        this.queue = queue;
        this.clock = clock;
        this.maxAge = maxAge;
        for (int i = 0; i < STATES.size(); i++) {
            int state = i;
            Gauge.builder("petrel.queue.messages", this, g -> g.snapshot.messages()[state])
                    .description("Messages in the queue, by state").tags("state", STATES.get(i)).register(registry);
        }
        List<String> ages = QueueShape.bucketNames();
        for (int i = 0; i < ages.size(); i++) {
            int bucket = i;
            Gauge.builder("petrel.queue.recipients", this, g -> g.byAge(bucket))
                    .description("Recipients still to deliver, by the age of their message (qshape's buckets)")
                    .tags("age", ages.get(i)).register(registry);
        }
    }

    private long byAge(int bucket) {
        long[] counts = snapshot.recipientsByAge();
        return bucket < counts.length ? counts[bucket] : 0;
    }

    /** Lists the queue again when the last snapshot is older than {@code maxAge}. */
    void refresh() throws IOException {
        Instant now = clock.instant();
        if (Duration.between(snapshot.taken(), now).compareTo(maxAge) < 0) {
            return;
        }
        snapshot = count(queue.list(), now);
    }

    static Snapshot count(List<QueuedMessage> messages, Instant now) {
        long[] states = new long[STATES.size()];
        long[] ages = new long[QueueShape.bucketNames().size()];
        for (QueuedMessage m : messages) {
            states[m.held() ? 2 : m.state().attempts() > 0 ? 1 : 0]++;
            ages[QueueShape.bucket(Duration.between(m.arrival(), now))] += m.pending().size();
        }
        return new Snapshot(now, states, ages);
    }
}
