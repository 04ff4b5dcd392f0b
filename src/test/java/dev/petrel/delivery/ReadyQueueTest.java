package dev.petrel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Site;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Transactions beyond a site's window wait as data, not as threads, and start as the window frees or grows. */
class ReadyQueueTest {

    private final HandClock clock = new HandClock();
    private final SiteThrottle throttle = new SiteThrottle(20, Duration.ofMinutes(1), Duration.ofMinutes(30), clock);
    private final ReadyQueue ready = new ReadyQueue(throttle);

    @Test
    void aTransactionBeyondTheWindowWaitsUntilOneEndsOrTheWindowGrows() throws Exception {
        Lane site = SiteThrottleTest.SITE;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        CountDownLatch fiveRunning = new CountDownLatch(SiteThrottle.INITIAL_CONCURRENCY);
        for (int i = 0; i < SiteThrottle.INITIAL_CONCURRENCY; i++) {
            ready.submit(site, () -> {
                running.incrementAndGet();
                fiveRunning.countDown();
                await(release);
                return "done";
            });
        }
        assertTrue(fiveRunning.await(5, TimeUnit.SECONDS));
        CompletableFuture<String> sixth = ready.submit(site, () -> "sixth");
        assertFalse(waitFor(sixth, 200), "the sixth waits while five are in flight");
        assertEquals(1, ready.waiting(site), "it waits in the queue");
        throttle.succeeded(site);
        CompletableFuture<String> seventh = ready.submit(site, () -> "seventh");
        assertTrue(waitFor(seventh, 5000), "a wider window lets the next one in");
        release.countDown();
        assertTrue(waitFor(sixth, 5000), "a finished transaction lets the waiting one start");
        assertEquals(0, ready.waiting(site));
    }

    private static boolean waitFor(CompletableFuture<String> f, long millis) throws Exception {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
