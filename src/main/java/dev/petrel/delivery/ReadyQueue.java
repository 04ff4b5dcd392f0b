package dev.petrel.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Transactions waiting for their destination site, one queue per site and egress (a {@link Lane}): a transaction starts, on a thread of its
 * own, when the site has fewer in flight than its {@link SiteThrottle} allows; until then it waits here as data,
 * and no thread waits holding it. Each finished transaction lets the next ones of its site start.
 */
final class ReadyQueue {

    private final SiteThrottle throttle;
    private final Map<Lane, Line> lines = new ConcurrentHashMap<>();

    private static final class Line {
        final ArrayDeque<Job<?>> waiting = new ArrayDeque<>();
        // written under the line's lock; read without it by the metrics
        volatile int inFlight;
    }

    private record Job<T>(Supplier<T> work, CompletableFuture<T> done) {
        void run() {
            try {
                done.complete(work.get());
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }
    }

    ReadyQueue(SiteThrottle throttle) {
        this.throttle = throttle;
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
            if (here && line.waiting.isEmpty() && line.inFlight < throttle.limit(site)) {
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
            int limit = throttle.limit(site);
            while (!line.waiting.isEmpty() && line.inFlight < limit) {
                line.inFlight++;
                start.add(line.waiting.poll());
            }
        }
        for (Job<?> job : start) {
            Thread.ofVirtual().name("delivery-" + site).start(() -> runThenNext(site, line, job));
        }
    }

    private void runThenNext(Lane site, Line line, Job<?> job) {
        try {
            job.run();
        } finally {
            synchronized (line) {
                line.inFlight--;
            }
            startReady(site, line);
        }
    }
}
