package dev.petrel.web;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * How the batch routes ({@code /v1/messages/batch}, Postmark's {@code /email/batch}) send their messages: in
 * parallel, up to {@value #PARALLEL} at once on virtual threads, so the queue's group commit puts many of them on
 * disk with one write; the results come back in the batch's order.
 */
final class Batches {

    static final int PARALLEL = 32;

    private Batches() {}

    /** {@code each} applied to every item, at most {@value #PARALLEL} at once; its results in the items' order. */
    static <T, R> List<R> inParallel(List<T> items, Function<T, R> each) throws InterruptedIOException {
        Semaphore slots = new Semaphore(PARALLEL);
        List<Future<R>> pending = new ArrayList<>(items.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                slots.acquireUninterruptibly();
                pending.add(threads.submit(() -> {
                    try {
                        return each.apply(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : pending) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the batch was interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a message of the batch failed: " + e.getCause(), e.getCause());
        }
    }
}
