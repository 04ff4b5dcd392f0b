package dev.petrel.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Transactions waiting for their destination site, one queue per site and egress (a {@link Lane}): a transaction
 * starts, on a thread of its own, when the site has fewer in flight than its {@link SiteThrottle} allows; until then
 * it waits here as data, and no thread waits holding it. Each finished transaction lets the next ones of its site
 * start. When several nodes share a store, a transaction that found every connection the site allows open on
 * other nodes ({@link SiteSlots.Busy}) goes back to the head of its queue untried, and for {@link #BUSY_WAIT} the
 * site gets no more transactions at once than this node had then (their connections are reused); then the next
 * one tries again: the node's window capped by what the cluster has free, without asking the store per message.
 */
final class ReadyQueue {

    /** How long a site whose every connection is open elsewhere in the cluster gets no new one from this node. */
    static final Duration BUSY_WAIT = Duration.ofSeconds(1);

    private final SiteThrottle throttle;
    private final Duration busyWait;
    private final Map<Lane, Line> lines = new ConcurrentHashMap<>();

    private static final class Line {
        final ArrayDeque<Job<?>> waiting = new ArrayDeque<>();
        // written under the line's lock; read without it by the metrics
        volatile int inFlight;
        // while the cluster has no connection free (System.nanoTime() before busyUntil): at most `held` at once
        long busyUntil;
        int held;
        boolean wakeScheduled;
    }

    private record Job<T>(Supplier<T> work, CompletableFuture<T> done) {
        // false when the site had no connection free in the cluster: not tried, and done is not completed
        boolean run() {
            try {
                done.complete(work.get());
            } catch (SiteSlots.Busy e) {
                return false;
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
            return true;
        }
    }

    ReadyQueue(SiteThrottle throttle) {
        this(throttle, BUSY_WAIT);
    }

    ReadyQueue(SiteThrottle throttle, Duration busyWait) {
        this.throttle = throttle;
        this.busyWait = busyWait;
    }

    /** Queues a transaction for the site; the future completes with what it returned once it has run. */
    <T> CompletableFuture<T> submit(Lane site, Supplier<T> work) {
        return submit(site, work, false);
    }

    /**
     * As {@link #submit(Lane, Supplier)}; with {@code here}, a transaction that may start at once runs on the
     * calling thread (which then returns when it is done) instead of a new one.
     */
    <T> CompletableFuture<T> submit(Lane site, Supplier<T> work, boolean here) {
        Job<T> job = new Job<>(work, new CompletableFuture<>());
        Line line = lines.computeIfAbsent(site, this::newLine);
        synchronized (line) {
            if (here && line.waiting.isEmpty() && line.inFlight < limit(site, line)) {
                line.inFlight++;
            } else {
                line.waiting.add(job);
                here = false;
            }
        }
        if (here) {
            runThenNext(site, line, job);
        } else {
            startReady(site, line);
        }
        return job.done();
    }

    private Line newLine(Lane site) {
        Line line = new Line();
        throttle.watchInFlight(site, line, l -> l.inFlight);
        return line;
    }

    /** Transactions of the site waiting for a slot now. */
    int waiting(Lane site) {
        Line line = lines.get(site);
        if (line == null) {
            return 0;
        }
        synchronized (line) {
            return line.waiting.size();
        }
    }

    private void startReady(Lane site, Line line) {
        List<Job<?>> start = new ArrayList<>();
        synchronized (line) {
            int limit = limit(site, line);
            while (!line.waiting.isEmpty() && line.inFlight < limit) {
                line.inFlight++;
                start.add(line.waiting.poll());
            }
        }
        for (Job<?> job : start) {
            Thread.ofVirtual().name("delivery-" + site).start(() -> runThenNext(site, line, job));
        }
    }

    // the site's window, or while the cluster has no connection free, what this node holds of it
    private int limit(Lane site, Line line) {
        int window = throttle.limit(site);
        return System.nanoTime() - line.busyUntil < 0 ? Math.min(window, line.held) : window;
    }

    private void runThenNext(Lane site, Line line, Job<?> job) {
        boolean tried = true;
        try {
            tried = job.run();
        } finally {
            synchronized (line) {
                line.inFlight--;
                if (!tried) {
                    waitForFreeConnection(site, line, job);
                }
            }
            startReady(site, line);
        }
    }

    // under the line's lock: the job back at the head, the line capped at what it holds, and woken after the wait
    private void waitForFreeConnection(Lane site, Line line, Job<?> job) {
        line.waiting.addFirst(job);
        line.held = line.inFlight;
        line.busyUntil = System.nanoTime() + busyWait.toNanos();
        if (!line.wakeScheduled) {
            line.wakeScheduled = true;
            wakeAfter(site, line, busyWait.toNanos());
        }
    }

    // when the wait is over (made longer meanwhile by another transaction that found the site busy: later), the
    // transactions waiting start as the window allows
    private void wakeAfter(Lane site, Line line, long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(() -> {
            synchronized (line) {
                long left = line.busyUntil - System.nanoTime();
                if (left > 0) {
                    wakeAfter(site, line, left);
                    return;
                }
                line.wakeScheduled = false;
            }
            startReady(site, line);
        });
    }
}
