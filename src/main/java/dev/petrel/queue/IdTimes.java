package dev.petrel.queue;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The times of a queue's new ids: the clock's, in microseconds, each later than the last even when the clock stands
 * still or steps back, so ids made by one process are unique and sort in the order they were made.
 */
public final class IdTimes {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();

    public IdTimes(Clock clock) {
        this.clock = clock;
    }

    /** Microseconds since 1970 for the next id. */
    public long next() {
        long now = clock.instant().toEpochMilli() * 1000;
        return last.updateAndGet(previous -> Math.max(previous + 1, now));
    }
}
