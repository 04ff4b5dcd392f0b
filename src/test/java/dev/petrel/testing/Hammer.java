package dev.petrel.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** Asks something again and again from several threads for a while, as many clients (or nodes) at once would. */
public final class Hammer {

    private Hammer() {}

    /**
     * What came of it.
     *
     * @param yes how many asks answered true (admitted, taken, sent)
     * @param no how many answered false
     * @param seconds from the start to the last answer
     */
    public record Counts(long yes, long no, double seconds) {}

    /**
     * Runs each thread's ask (thread {@code i} gets {@code ask.apply(i)}) again and again until {@code window} has
     * passed since the start; a failure of any thread is thrown.
     */
    public static Counts run(int threads, Duration window, IntFunction<Callable<Boolean>> ask) throws Exception {
        AtomicLong yes = new AtomicLong();
        AtomicLong no = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Boolean> mine = ask.apply(t);
                done.add(pool.submit(() -> {
                    while (System.nanoTime() - start < window.toNanos()) {
                        (mine.call() ? yes : no).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Counts(yes.get(), no.get(), (System.nanoTime() - start) / 1e9);
    }
}
