package dev.petrel.delivery.remote;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.Lane;
import dev.petrel.delivery.SiteSlots;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reuses connections: after a transaction, an open connection waits idle for the next message to the same
 * site (the same MX hosts) from the same egress, up to a number of messages per connection and an idle time, like Postfix's
 * connection cache. Each connection is used by one transaction at a time, and holds one of its site's
 * {@link SiteSlots} from before it opens until it closes: when several nodes share a store, a connection that
 * would be one too many for the site across all of them is not opened ({@link SiteSlots.Busy}).
 */
public final class PooledTransport implements Transport, AutoCloseable {

    private final RemoteDelivery delivery;
    private final int maxIdlePerSite;
    private final int maxMessagesPerConnection;
    private final Duration idleTimeout;
    private final Clock clock;
    private final Function<Domain, TlsPolicy> tlsPolicy;
    private final TlsReporter reporter;
    private final SiteSlots slots;
    private final int siteConcurrency;
    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    // connections from different egresses, or made under different TLS policies, are never shared; nor those that
    // carry REQUIRETLS messages (RFC 8689), made only to hosts that offer it, with others; nor, where DNSSEC
    // secured a destination's MX hosts (RFC 7672: DANE may apply), with another destination whose hosts were not, or
    // whose certificate names were not checked (DANE-TA accepts the destination's name)
    private record Key(String egress, Site site, TlsPolicy policy, boolean tlsRequired, String daneScope) {

        static Key of(Egress egress, Route route, TlsPolicy policy, boolean tlsRequired) {
            List<String> secure = route.hosts().stream().filter(Route.Host::secure).map(Route.Host::name).toList();
            String scope = secure.isEmpty() ? "" : route.destination().name() + " " + secure;
            return new Key(egress.name(), route.site(), policy, tlsRequired, scope);
        }
    }

    private static final class Idle {
        final SiteConnection connection;
        final SiteSlots.Slot slot;
        int messages;
        Instant since;

        Idle(SiteConnection connection, SiteSlots.Slot slot) {
            this.connection = connection;
            this.slot = slot;
        }

        // closed once by whoever holds it: in use by one transaction, or idle in one queue
        void close() {
            try {
                connection.close();
            } finally {
                slot.release();
            }
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
        this(delivery, maxIdlePerSite, maxMessagesPerConnection, idleTimeout, clock, tlsPolicy, TlsReporter.NONE);
    }

    /** @param reporter told how TLS went on each new connection (RFC 8460) */
    public PooledTransport(RemoteDelivery delivery, int maxIdlePerSite, int maxMessagesPerConnection,
                           Duration idleTimeout, Clock clock, Function<Domain, TlsPolicy> tlsPolicy,
                           TlsReporter reporter) {
        this(delivery, maxIdlePerSite, maxMessagesPerConnection, idleTimeout, clock, tlsPolicy, reporter,
                SiteSlots.UNLIMITED, maxIdlePerSite);
    }

    /**
     * @param slots the slots of sites' connections a connection holds while open, shared by the nodes on a store
     * @param siteConcurrency how many slots each site has: {@code [delivery] site_concurrency}
     */
    public PooledTransport(RemoteDelivery delivery, int maxIdlePerSite, int maxMessagesPerConnection,
                           Duration idleTimeout, Clock clock, Function<Domain, TlsPolicy> tlsPolicy,
                           TlsReporter reporter, SiteSlots slots, int siteConcurrency) {
        this.slots = slots;
        this.siteConcurrency = siteConcurrency;
        this.reporter = reporter;
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
        Key key = Key.of(egress, route, policy, transaction.tlsRequired());
        Idle held = take(key);
        if (held == null) {
            held = open(route, egress, policy);
        }
        List<Attempted> outcomes;
        try {
            outcomes = held.connection.send(transaction);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        held.messages++;
        boolean remoteDsn = held.connection.remoteOffersDsn();
        giveBack(key, held);
        return outcomes.stream().map(a -> new Delivery(a.outcome(), a.relay(), remoteDsn)).toList();
    }

    // a new connection, under a slot of its site (lane) taken first; when none is free, one of this node's idle
    // connections to the site (kept for another TLS policy, say) is closed to give its slot to this one
    private Idle open(Route route, Egress egress, TlsPolicy policy) {
        Lane lane = new Lane(egress.name(), route.site());
        SiteSlots.Slot slot = slots.take(lane, siteConcurrency)
                .or(() -> closeIdle(lane) ? slots.take(lane, siteConcurrency) : Optional.empty())
                .orElseThrow(() -> new SiteSlots.Busy(lane));
        try {
            return new Idle(delivery.open(route, egress, policy, reporter.observerFor(route.destination())), slot);
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
    }

    private boolean closeIdle(Lane lane) {
        for (Map.Entry<Key, Deque<Idle>> e : idle.entrySet()) {
            if (!e.getKey().egress().equals(lane.egress()) || !e.getKey().site().equals(lane.site())) {
                continue;
            }
            Idle found;
            synchronized (e.getValue()) {
                found = e.getValue().pollLast();
            }
            if (found != null) {
                found.close();
                return true;
            }
        }
        return false;
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
                found.close();
            }
            return null;
        }
    }

    private void giveBack(Key key, Idle used) {
        if (closed || !used.connection.isOpen() || used.messages >= maxMessagesPerConnection) {
            used.close();
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
        used.close();
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
            stale.forEach(Idle::close);
        }
    }

    /** Closes the idle connections, and frees the site slots when they are this transport's to free. */
    @Override
    public void close() {
        closed = true;
        sweep(true);
        if (slots instanceof AutoCloseable owned) {
            try {
                owned.close();
            } catch (Exception e) {
                // the slots' leases end them
            }
        }
    }
}
