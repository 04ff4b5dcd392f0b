package dev.petrel.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to try a deferred message again: exponential backoff from {@code firstRetry} to {@code maxRetry}, with
 * jitter so that messages deferred together do not return together, until {@code lifetime} after arrival, when
 * the message expires and is returned (4.4.7). Defaults follow Postfix's minimal_backoff_time (5 minutes),
 * maximal_backoff_time (about an hour) and maximal_queue_lifetime (5 days).
 *
 * @param delayNotice after how long a sender is told once that its message is delayed (RFC 3464 "delayed")
 * @param jitter the share of a delay drawn at random, 0 to 1
 */
public record RetrySchedule(Duration firstRetry, Duration maxRetry, Duration lifetime, Duration delayNotice,
                            double jitter) {

    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofMinutes(5), Duration.ofMinutes(66),
            Duration.ofDays(5), Duration.ofHours(4), 0.2);

    public RetrySchedule {
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retry delays must be positive, the first no longer than the last");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter is a share from 0 to 1");
        }
    }

    /** The delay before the next attempt after {@code attempts} failed ones (1 for the first failure). */
    public Duration delayAfter(int attempts, RandomGenerator random) {
        Duration base = firstRetry;
        for (int i = 1; i < attempts && base.compareTo(maxRetry) < 0; i++) {
            base = base.multipliedBy(2);
        }
        if (base.compareTo(maxRetry) > 0) {
            base = maxRetry;
        }
        // jitter takes the delay down by up to its share, never below the first retry's half
        long millis = base.toMillis();
        long cut = (long) (millis * jitter * random.nextDouble());
        return Duration.ofMillis(Math.max(millis - cut, firstRetry.toMillis() / 2));
    }

    /** The next attempt, or null when the message expires first. */
    public Instant nextAttempt(Instant arrival, Instant now, int attempts, RandomGenerator random) {
        Instant next = now.plus(delayAfter(attempts, random));
        return next.isAfter(expiry(arrival)) ? null : next;
    }

    public Instant expiry(Instant arrival) {
        return arrival.plus(lifetime);
    }

    public boolean expired(Instant arrival, Instant now) {
        return !now.isBefore(expiry(arrival));
    }

    /** Whether a delay notice is due: old enough, and not sent before (the caller knows). */
    public boolean delayNoticeDue(Instant arrival, Instant now) {
        return !delayNotice.isZero() && !now.isBefore(arrival.plus(delayNotice));
    }
}
