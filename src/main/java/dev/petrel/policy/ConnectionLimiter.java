package dev.petrel.policy;

import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Counts open connections, in all and per client address, and refuses those over the limits with
 * 421 4.7.0 (like Postfix's smtpd_client_connection_count_limit). Clients in the exempt set (the relay
 * networks, as Postfix exempts $mynetworks) have no per-client limit. Every {@link #tryOpen} that accepts is
 * followed by one {@link #close}.
 */
public final class ConnectionLimiter {

    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Predicate<InetAddress> exempt;

    public ConnectionLimiter(int maxTotal, int maxPerClient) {
        this(maxTotal, maxPerClient, address -> false);
    }

    public ConnectionLimiter(int maxTotal, int maxPerClient, Predicate<InetAddress> exempt) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.exempt = exempt;
    }

    public Decision tryOpen(InetAddress client) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Decision.defer(421, EnhancedStatus.SECURITY_TRANSIENT, "Too many connections, try again later");
        }
        // the count this connection made, not the count later, which other threads may have raised meanwhile
        int[] count = new int[1];
        perClient.compute(client, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            count[0] = c.incrementAndGet();
            return c;
        });
        if (count[0] > maxPerClient && !exempt.test(client)) {
            close(client);
            return Decision.defer(421, EnhancedStatus.SECURITY_TRANSIENT,
                    "Too many connections from your address, try again later");
        }
        return Decision.ACCEPT;
    }

    public void close(InetAddress client) {
        total.decrementAndGet();
        perClient.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    public int open() {
        return total.get();
    }
}
