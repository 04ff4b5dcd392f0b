package dev.petrel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final long MS = 1_000_000L;

    private final Deadlines deadlines = new Deadlines(Duration.ofMillis(10), Duration.ofMillis(200));

    @AfterEach
    void stop() {
        deadlines.close();
    }

    /** Counts the expiry's calls and lets a test wait for them. */
    private static final class Recorder implements Deadlines.Expiry {
        final AtomicInteger replies = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final CountDownLatch replied = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void readExpired() {
            replies.incrementAndGet();
            replied.countDown();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closed.countDown();
        }
    }

    @Test
    void aReadPastItsDeadlineIsAnsweredAndTheWaitReportsIt() throws InterruptedException {
        Recorder r = new Recorder();
        Deadlines.Watch w = deadlines.watch(r);
        w.reading(50 * MS);
        assertTrue(r.replied.await(5, TimeUnit.SECONDS), "readExpired within 5 s of a 50 ms deadline");
        assertTrue(w.fired());
        assertFalse(w.done(), "the wait learns that its deadline passed");
        // and a new wait cannot start on a connection that is being closed
        w.reading(10_000 * MS);
        assertFalse(w.done());
        assertEquals(0, r.closes.get(), "told first, closed by the expiry itself");
    }

    @Test
    void aPeerThatHoldsOnAfterBeingToldIsClosedAfterTheGrace() throws InterruptedException {
        Recorder r = new Recorder();
        Deadlines.Watch w = deadlines.watch(r);
        w.reading(20 * MS);
        assertTrue(r.replied.await(5, TimeUnit.SECONDS));
        assertTrue(r.closed.await(5, TimeUnit.SECONDS), "closed once the 200 ms grace is over");
        assertEquals(1, r.replies.get());
    }

    @Test
    void waitsThatEndInTimeNeverFireHoweverManyThereAre() throws InterruptedException {
        Recorder r = new Recorder();
        Deadlines.Watch w = deadlines.watch(r);
        long end = System.nanoTime() + 300 * MS;
        int waits = 0;
        while (System.nanoTime() - end < 0) {
            // each wait is well within its 100 ms, the whole loop is not: deadlines are per wait
            w.reading(100 * MS);
            Thread.sleep(5);
            assertTrue(w.done());
            waits++;
        }
        Thread.sleep(250);
        assertTrue(waits > 10, "waits: " + waits);
        assertEquals(0, r.replies.get() + r.closes.get());
        assertFalse(w.fired());
    }

    @Test
    void aStuckWriteOrHandshakeIsClosedWithoutAWord() throws InterruptedException {
        Recorder writer = new Recorder();
        deadlines.watch(writer).writing(30 * MS);
        Recorder handshake = new Recorder();
        deadlines.watch(handshake).silent(30 * MS);
        assertTrue(writer.closed.await(5, TimeUnit.SECONDS));
        assertTrue(handshake.closed.await(5, TimeUnit.SECONDS));
        assertEquals(0, writer.replies.get() + handshake.replies.get());
    }

    @Test
    void aClosedWatchIsForgotten() throws InterruptedException {
        Recorder r = new Recorder();
        Deadlines.Watch w = deadlines.watch(r);
        w.reading(30 * MS);
        w.close();
        assertFalse(r.replied.await(300, TimeUnit.MILLISECONDS), "no expiry for a closed connection");
        assertEquals(0, r.closes.get());
    }

    @Test
    void theTickIsAQuarterOfTheShortestTimeoutWithinBounds() {
        assertEquals(Duration.ofMillis(75), Deadlines.tickFor(Duration.ofMinutes(5), Duration.ofMillis(300)));
        assertEquals(Duration.ofSeconds(1), Deadlines.tickFor(Duration.ofMinutes(5), Duration.ofMinutes(3)));
        assertEquals(Duration.ofMillis(10), Deadlines.tickFor(Duration.ofMillis(5)));
    }
}
