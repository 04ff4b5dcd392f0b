package dev.petrel.queue;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far delivery of a message has come: which recipients are finished (delivered, or failed and reported),
 * when the next attempt is due, how many were made, and why the last one failed. Recorded in place, so a crash
 * never repeats a finished recipient and never retries sooner than planned.
 *
 * @param finished indexes into the envelope's recipient list
 * @param lastError the last temporary failure, or null
 * @param delayNoticed the sender was told the message is delayed (that happens once)
 */
public record DeliveryState(Set<Integer> finished, Instant nextAttempt, int attempts, String lastError,
                            boolean delayNoticed) {

    public DeliveryState(Set<Integer> finished, Instant nextAttempt, int attempts, String lastError) {
        this(finished, nextAttempt, attempts, lastError, false);
    }

    public DeliveryState {
        finished = Set.copyOf(new TreeSet<>(finished));
    }

    /** A message just accepted: due at once, nothing finished. */
    public static DeliveryState initial(Instant arrival) {
        return new DeliveryState(Set.of(), arrival, 0, null);
    }

    DeliveryState withFinished(Set<Integer> more) {
        TreeSet<Integer> all = new TreeSet<>(finished);
        all.addAll(more);
        return new DeliveryState(all, nextAttempt, attempts, lastError, delayNoticed);
    }

    DeliveryState scheduled(Instant next, int attemptCount, String error) {
        return new DeliveryState(finished, next, attemptCount, error, delayNoticed);
    }

    DeliveryState noticed() {
        return new DeliveryState(finished, nextAttempt, attempts, lastError, true);
    }
}
