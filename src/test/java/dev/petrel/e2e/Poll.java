package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline: the only way these tests wait. */
final class Poll {

    private static final long INTERVAL_MILLIS = 20;

    private Poll() {}

    /** Returns the first non-null value of {@code probe}; fails after {@code timeout} with {@code what}. */
    static <T> T until(Duration timeout, String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                return fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
    }
}
