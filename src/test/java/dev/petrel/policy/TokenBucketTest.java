package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The arithmetic of a bucket of messages, in nanoseconds of a hand-moved clock. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "{0}/s: a burst of {1} goes at once, the next waits {2} ns")
    @CsvSource({
        // the bucket holds one second's worth, and a message more waits one message's interval
        "1, 1, 1000000000",
        "4, 4, 250000000",
        "1000, 1000, 1000000",
    })
    void aFullBucketLetsOneSecondsWorthThroughThenOneMessageAnInterval(long rate, int burst, long wait) {
        TokenBucket bucket = new TokenBucket(rate, 0);
        for (int i = 0; i < burst; i++) {
            assertEquals(0, bucket.nanosUntil(1, 0), "message " + (i + 1));
            bucket.take(1);
        }
        assertEquals(wait, bucket.nanosUntil(1, 0));
        assertEquals(0, bucket.nanosUntil(1, wait));
    }

    @Test
    void itRefillsWithTimeButNeverBeyondItsCapacity() {
        TokenBucket bucket = new TokenBucket(2, 0);
        bucket.take(2);
        assertEquals(SECOND / 2, bucket.nanosUntil(1, 0));
        // an hour idle fills it to two tokens, not 7200
        assertEquals(0, bucket.nanosUntil(2, 3600 * SECOND));
        bucket.take(2);
        assertEquals(SECOND / 2, bucket.nanosUntil(1, 3600 * SECOND));
    }

    @Test
    void aRequestLargerThanTheBucketGoesWhenItIsFullAndLeavesItOwing() {
        TokenBucket bucket = new TokenBucket(2, 0);
        assertEquals(0, bucket.nanosUntil(10, 0), "10 messages at 2/s: when full, at once");
        bucket.take(10);
        // 8 owed and 1 wanted: 9 tokens at 2 a second
        assertEquals(9 * SECOND / 2, bucket.nanosUntil(1, 0));
        TokenBucket half = new TokenBucket(2, 0);
        half.take(1);
        assertEquals(SECOND / 2, half.nanosUntil(10, 0), "a large request waits for a full bucket, no more");
    }

    @Test
    void aNewRateKeepsTheTokensUpToTheNewCapacity() {
        TokenBucket bucket = new TokenBucket(10, 0);
        bucket.setRate(1);
        assertEquals(0, bucket.nanosUntil(1, 0));
        bucket.take(1);
        assertEquals(SECOND, bucket.nanosUntil(1, 0), "10 tokens cut to the new capacity of 1, then taken");
        assertThrows(IllegalArgumentException.class, () -> bucket.setRate(0));
    }
}
