package dev.petrel.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits, with a bound, for what is written asynchronously (log lines come from the event feed's reader). */
public final class Eventually {

    private Eventually() {}

    /** Polls until the whole of {@code text} matches {@code regex}, for at most ten seconds; returns the text. */
    public static String matches(Supplier<String> text, String regex) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = text.get();
        while (!seen.matches(regex) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            seen = text.get();
        }
        if (!seen.matches(regex)) {
            throw new AssertionError("waited 10 s for /" + regex + "/ in:\n" + seen);
        }
        return seen;
    }

    /** Polls until {@code text} contains {@code expected}, for at most ten seconds; returns the last text seen. */
    public static String contains(Supplier<String> text, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String seen = text.get();
        while (!seen.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            seen = text.get();
        }
        if (!seen.contains(expected)) {
            throw new AssertionError("waited 10 s for \"" + expected + "\" in:\n" + seen);
        }
        return seen;
    }
}
