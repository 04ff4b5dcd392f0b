package dev.petrel.policy;

/**
 * A token bucket of messages: it fills at {@code rate} a second up to {@code capacity} (one second's worth, at least
 * one), and each message takes a token. A request for more than the bucket holds is let through when the bucket is
 * full, and leaves it owing the rest, so that the average rate holds for any request size. Not thread-safe: its
 * owner holds a lock. Times are {@link System#nanoTime()} readings.
 */
final class TokenBucket {

    private static final double NANOS = 1e9;

    private long rate;
    private double capacity;
    private double tokens;
    private long last;

    /** A full bucket. */
    TokenBucket(long rate, long now) {
        this.last = now;
        setRate(rate);
        this.tokens = capacity;
    }

    long rate() {
        return rate;
    }

    /** A new rate; the tokens there are stay, up to the new capacity. */
    void setRate(long newRate) {
        if (newRate <= 0) {
            throw new IllegalArgumentException("a rate is 1 or more messages a second: " + newRate);
        }
        rate = newRate;
        capacity = Math.max(1, newRate);
        tokens = Math.min(tokens, capacity);
    }

    /** How long until {@code messages} may go: 0 when they may now. */
    long nanosUntil(int messages, long now) {
        refill(now);
        double needed = Math.min(messages, capacity);
        if (tokens >= needed) {
            return 0;
        }
        return (long) Math.ceil((needed - tokens) / rate * NANOS);
    }

    /** Takes {@code messages} tokens; call only after {@link #nanosUntil} said 0. */
    void take(int messages) {
        tokens -= messages;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * (double) rate / NANOS);
            last = now;
        }
    }
}
