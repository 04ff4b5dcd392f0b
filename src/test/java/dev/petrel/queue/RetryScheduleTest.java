package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final RetrySchedule NO_JITTER =
            new RetrySchedule(Duration.ofMinutes(5), Duration.ofMinutes(66), Duration.ofDays(5), Duration.ofHours(4), 0);

    @ParameterizedTest(name = "after {0} failed attempts wait {1} minutes")
    @CsvSource({
        // doubling from the first retry
        "1, 5", "2, 10", "3, 20", "4, 40",
        // capped at the maximum, however many attempts
        "5, 66", "6, 66", "100, 66"})
    void delaysDoubleUpToTheCap(int attempts, long minutes) {
        assertEquals(Duration.ofMinutes(minutes), NO_JITTER.delayAfter(attempts, new Random(1)));
    }

    @Test
    void jitterSpreadsDelaysBelowTheBaseButNeverAboveIt() {
        RandomGenerator random = new Random(42);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = RetrySchedule.DEFAULT.delayAfter(3, random);
            assertTrue(d.compareTo(Duration.ofMinutes(20)) <= 0, d.toString());
            assertTrue(d.compareTo(Duration.ofMinutes(16)) >= 0, "at most 20% less: " + d);
            seen.add(d);
        }
        assertTrue(seen.size() > 50, "delays of messages deferred together differ");
    }

    @Test
    void aMessageThatWouldOutliveItsLifetimeHasNoNextAttempt() {
        Instant arrival = Instant.parse("2026-11-01T00:00:00Z");
        Instant late = arrival.plus(Duration.ofDays(5)).minus(Duration.ofMinutes(10));
        assertNull(NO_JITTER.nextAttempt(arrival, late, 10, new Random(1)));
        Instant early = arrival.plus(Duration.ofHours(1));
        assertEquals(early.plus(Duration.ofMinutes(5)), NO_JITTER.nextAttempt(arrival, early, 1, new Random(1)));
        assertTrue(NO_JITTER.expired(arrival, arrival.plus(Duration.ofDays(5))));
        assertFalse(NO_JITTER.expired(arrival, arrival.plus(Duration.ofDays(5)).minusMillis(1)));
    }

    @Test
    void aDelayNoticeIsDueOnlyAfterItsTime() {
        Instant arrival = Instant.parse("2026-11-01T00:00:00Z");
        assertFalse(NO_JITTER.delayNoticeDue(arrival, arrival.plus(Duration.ofHours(3))));
        assertTrue(NO_JITTER.delayNoticeDue(arrival, arrival.plus(Duration.ofHours(4))));
        RetrySchedule never = new RetrySchedule(Duration.ofMinutes(5), Duration.ofMinutes(66), Duration.ofDays(5),
                Duration.ZERO, 0);
        assertFalse(never.delayNoticeDue(arrival, arrival.plus(Duration.ofDays(4))));
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofDays(1), Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(Duration.ofMinutes(10),
                Duration.ofMinutes(1), Duration.ofDays(1), Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(Duration.ofMinutes(1),
                Duration.ofMinutes(10), Duration.ofDays(1), Duration.ZERO, 1.5));
        assertNotEquals(RetrySchedule.DEFAULT.firstRetry(), RetrySchedule.DEFAULT.maxRetry());
    }
}
