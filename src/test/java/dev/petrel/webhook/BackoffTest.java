package dev.petrel.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1));

    @ParameterizedTest
    @CsvSource({
            // doubling from the first wait
            "1, 30", "2, 60", "3, 120", "4, 240", "8, 3600",
            // capped at the longest wait, however many failures
            "9, 3600", "100, 3600", "2147483647, 3600"})
    void theCeilingDoublesWithEachFailureUpToTheLongestWait(int attempts, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), backoff.ceiling(attempts));
    }

    @Test
    void eachWaitIsDrawnBetweenHalfAndAllOfItsCeiling() {
        SplittableRandom random = new SplittableRandom(7);
        for (int attempts = 1; attempts < 20; attempts++) {
            Duration ceiling = backoff.ceiling(attempts);
            for (int i = 0; i < 200; i++) {
                Duration d = backoff.delay(attempts, random);
                assertTrue(d.compareTo(ceiling.dividedBy(2)) >= 0 && d.compareTo(ceiling) <= 0, d + " for " + attempts);
            }
        }
    }

    @Test
    void jitterSpreadsRetriesOfEventsThatFailedTogether() {
        SplittableRandom random = new SplittableRandom(1);
        long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> backoff.delay(5, random)).distinct().count();
        assertTrue(distinct > 90, distinct + " distinct waits of 100");
    }

    @Test
    void theDefaultsKeepTryingForThreeDaysWithManyAttempts() {
        SplittableRandom random = new SplittableRandom(3);
        Duration total = Duration.ZERO;
        int attempts = 0;
        while (total.compareTo(Duration.ofDays(3)) < 0) {
            attempts++;
            total = total.plus(Backoff.DEFAULT.delay(attempts, random));
        }
        assertTrue(attempts > 60 && attempts < 160, attempts + " attempts in three days");
    }
}
