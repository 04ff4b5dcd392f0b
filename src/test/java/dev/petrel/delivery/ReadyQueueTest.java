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

    @Test
    void aTransactionThatFindsTheClusterFullWaitsAtTheHeadWhileTheNodeReusesWhatItHolds() throws Exception {
        ReadyQueue clustered = new ReadyQueue(throttle, Duration.ofSeconds(30));
        Lane site = SiteThrottleTest.SITE;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> first = clustered.submit(site, () -> {
            running.countDown();
            await(release);
            return "first";
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        AtomicInteger tries = new AtomicInteger();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<String> busy = clustered.submit(site, () -> {
            if (tries.incrementAndGet() == 1) {
                throw new SiteSlots.Busy(site);
            }
            order.add("second");
            return "second";
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (clustered.waiting(site) != 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, clustered.waiting(site), "the busy one went back to wait");
        CompletableFuture<String> third = clustered.submit(site, () -> {
            order.add("third");
            return "third";
        });
        assertFalse(waitFor(third, 300), "while the cluster is full the node keeps to the one it holds");
        assertEquals(2, clustered.waiting(site), "the busy one went back to the head, the third waits behind it");
        release.countDown();
        assertTrue(waitFor(first, 5000));
        assertTrue(waitFor(busy, 5000), "the connection the first one held serves the second");
        assertTrue(waitFor(third, 5000));
        assertEquals(List.of("second", "third"), order);
        assertEquals(2, tries.get());
    }

    @Test
    void aNodeHoldingNoConnectionTriesABusySiteAgainAfterTheWait() throws Exception {
        ReadyQueue clustered = new ReadyQueue(throttle, Duration.ofMillis(300));
        Lane site = SiteThrottleTest.SITE;
        List<Long> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<String> job = clustered.submit(site, () -> {
            tries.add(System.nanoTime());
            if (tries.size() < 3) {
                throw new SiteSlots.Busy(site);
            }
            return "sent";
        });
        assertTrue(waitFor(job, 5000));
        assertEquals(3, tries.size());
        for (int i = 1; i < 3; i++) {
            assertTrue(tries.get(i) - tries.get(i - 1) >= Duration.ofMillis(300).toNanos(), "waited: " + tries);
        }
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
