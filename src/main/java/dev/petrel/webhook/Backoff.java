package dev.petrel.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: {@code first} after the first failure, doubling with each failure up to
 * {@code max}, each wait drawn between half and all of that ("equal jitter"), so that the retries of many events
 * that failed together spread out. With the defaults (30 s doubling to 1 h) three days hold about 80 attempts.
 */
public record Backoff(Duration first, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1));

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    public Duration delay(int attempts, RandomGenerator random) {
        long ceiling = ceiling(attempts).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + (ceiling - half > 0 ? random.nextLong(ceiling - half + 1) : 0));
    }

    /** The longest wait after the {@code attempts}-th failure, before jitter. */
    Duration ceiling(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 40));
        long millis = first.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
