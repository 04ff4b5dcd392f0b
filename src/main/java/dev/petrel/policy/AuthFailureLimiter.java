package dev.petrel.policy;

import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed AUTH attempts per client address over a sliding window. Past the limit, the session is
 * closed with 421 and new connections from that address are refused until the window has passed, which
 * slows password guessing to a crawl.
 */
public final class AuthFailureLimiter {

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public AuthFailureLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Records a failure; a Defer means the client is over the limit. */
    public Decision failed(InetAddress client) {
        Instant now = clock.instant();
        Deque<Instant> times = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        int count;
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
            count = times.size();
        }
        return count >= maxFailures ? blocked() : Decision.ACCEPT;
    }

    /** Whether a client may connect at all. */
    public Decision check(InetAddress client) {
        Deque<Instant> times = failures.get(client);
        if (times == null) {
            return Decision.ACCEPT;
        }
        synchronized (times) {
            prune(times, clock.instant());
            if (times.isEmpty()) {
                failures.remove(client, times);
                return Decision.ACCEPT;
            }
            return times.size() >= maxFailures ? blocked() : Decision.ACCEPT;
        }
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
            times.removeFirst();
        }
    }

    private static Decision blocked() {
        return Decision.defer(421, EnhancedStatus.SECURITY_TRANSIENT, "Too many failed authentication attempts, try again later");
    }
}
