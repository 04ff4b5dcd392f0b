package dev.petrel.delivery.remote;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.dns.Site;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.client.TlsPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reuses connections: after a transaction, an open connection waits idle for the next message to the same
 * site (the same MX hosts) from the same egress, up to a number of messages per connection and an idle time, like Postfix's
 * connection cache. Each connection is used by one transaction at a time.
 */
public final class PooledTransport implements Transport, AutoCloseable {

    private final RemoteDelivery delivery;
    private final int maxIdlePerSite;
    private final int maxMessagesPerConnection;
    private final Duration idleTimeout;
    private final Clock clock;
    private final Function<Domain, TlsPolicy> tlsPolicy;
    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    // connections from different egresses, or made under different TLS policies, are never shared; nor are those that
    // carry REQUIRETLS messages (RFC 8689), made only to hosts that offer it, with others
    private record Key(String egress, Site site, TlsPolicy policy, boolean tlsRequired) {}

    private static final class Idle {
        final SiteConnection connection;
        int messages;
        Instant since;

        Idle(SiteConnection connection) {
            this.connection = connection;
        }
    }

    public PooledTransport(RemoteDelivery delivery, int maxIdlePerSite, int maxMessagesPerConnection,
                           Duration idleTimeout, Clock clock) {
        this(delivery, maxIdlePerSite, maxMessagesPerConnection, idleTimeout, clock, domain -> TlsPolicy.OPPORTUNISTIC);
    }

    /**
     * @param tlsPolicy the TLS policy of each destination domain: opportunistic (RFC 7435) unless one requires
     *     verified TLS
     */
    public PooledTransport(RemoteDelivery delivery, int maxIdlePerSite, int maxMessagesPerConnection,
                           Duration idleTimeout, Clock clock, Function<Domain, TlsPolicy> tlsPolicy) {
        this.tlsPolicy = tlsPolicy;
        this.delivery = delivery;
        this.maxIdlePerSite = maxIdlePerSite;
        this.maxMessagesPerConnection = maxMessagesPerConnection;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        Thread.ofVirtual().name("petrel-connection-sweeper").start(this::sweepLoop);
    }

    @Override
    public List<Delivery> deliver(Route route, Egress egress, Transaction transaction) {
        // RFC 8689 4.2.2: "TLS-Required: No" sets the destination's policy aside: TLS when offered, any certificate
        TlsPolicy policy = transaction.tlsOptional() ? TlsPolicy.OPPORTUNISTIC : tlsPolicy.apply(route.destination());
        Key key = new Key(egress.name(), route.site(), policy, transaction.tlsRequired());
        Idle held = take(key);
        if (held == null) {
            held = new Idle(delivery.open(route, egress, policy));
        }
        List<Attempted> outcomes;
        try {
            outcomes = held.connection.send(transaction);
        } catch (RuntimeException e) {
            held.connection.close();
            throw e;
        }
        held.messages++;
        boolean remoteDsn = held.connection.remoteOffersDsn();
        giveBack(key, held);
        return outcomes.stream().map(a -> new Delivery(a.outcome(), a.relay(), remoteDsn)).toList();
    }

    private Idle take(Key key) {
        Deque<Idle> queue = idle.get(key);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            Idle found;
            while ((found = queue.pollFirst()) != null) {
                if (found.connection.isOpen() && !expired(found)) {
                    return found;
                }
                found.connection.close();
            }
            return null;
        }
    }

    private void giveBack(Key key, Idle used) {
        if (closed || !used.connection.isOpen() || used.messages >= maxMessagesPerConnection) {
            used.connection.close();
            return;
        }
        Deque<Idle> queue = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (queue) {
            if (queue.size() < maxIdlePerSite) {
                used.since = clock.instant();
                queue.addFirst(used);
                return;
            }
        }
        used.connection.close();
    }

    private boolean expired(Idle i) {
        return i.since != null && Duration.between(i.since, clock.instant()).compareTo(idleTimeout) >= 0;
    }

    // idle connections the server would time out anyway are closed with QUIT first
    private void sweepLoop() {
        while (!closed) {
            try {
                Thread.sleep(Math.max(100, idleTimeout.toMillis() / 2));
            } catch (InterruptedException e) {
                return;
            }
            sweep(false);
        }
    }

    private void sweep(boolean all) {
        for (Deque<Idle> queue : idle.values()) {
            List<Idle> stale = new ArrayList<>();
            synchronized (queue) {
                queue.removeIf(i -> {
                    boolean drop = all || expired(i) || !i.connection.isOpen();
                    if (drop) {
                        stale.add(i);
                    }
                    return drop;
                });
            }
            stale.forEach(i -> i.connection.close());
        }
    }

    @Override
    public void close() {
        closed = true;
        sweep(true);
    }
}
