package dev.petrel.delivery.remote;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.mail.Transaction;
import dev.petrel.net.Deadlines;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers messages to remote sites over SMTP: the socket driver of {@link dev.petrel.smtp.client.ClientSession}.
 * Each connection leaves from an {@link Egress}: bound to one of its source addresses, introduced by its EHLO name.
 * Each recipient gets an outcome (delivered on 2xx, deferred on 4xx or any network or TLS failure, failed on 5xx)
 * with the host that decided it. Safe to share between threads; each {@link SiteConnection} belongs to one.
 */
public final class RemoteDelivery implements Transport {

    private final RemoteSettings settings;
    private final TlsContexts tls;
    private final TlsRules rules;
    private final Deadlines deadlines;
    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
    private static final AtomicInteger NO_TURNS = new AtomicInteger();

    public RemoteDelivery(RemoteSettings settings) {
        this(settings, TlsRules.NONE);
    }

    /**
     * With DANE (RFC 7672) for the MX hosts whose TLSA records {@code dane} finds, and {@code tlsOutcomes} told how
     * the TLS policy of every connection fared (for metrics and TLS reports, RFC 8460).
     */
    public RemoteDelivery(RemoteSettings settings, DanePolicies dane, Consumer<TlsOutcome> tlsOutcomes, Clock clock) {
        this(settings, new TlsRules(dane, tlsOutcomes, clock));
    }

    private RemoteDelivery(RemoteSettings settings, TlsRules rules) {
        this.settings = settings;
        this.rules = rules;
        this.tls = new TlsContexts(settings.trustStore());
        Timeouts t = settings.timeouts();
        this.deadlines = new Deadlines(Deadlines.tickFor(t.greeting(), t.ehlo(), t.mail(), t.rcpt(), t.dataInit(),
                t.dataBlock(), t.finalDot()));
    }

    /** {@link Transport}: one message on a connection of its own, with opportunistic TLS (RFC 7435). */
    @Override
    public List<Delivery> deliver(Route route, Egress egress, Transaction transaction) {
        try (SiteConnection connection = open(route, egress, TlsPolicy.OPPORTUNISTIC)) {
            return connection.send(transaction).stream().map(a -> new Delivery(a.outcome(), a.relay())).toList();
        }
    }

    /** One message on a connection of its own from the default egress, with the destination's TLS policy. */
    public List<Attempted> attempt(Route route, Transaction transaction, TlsPolicy policy) {
        try (SiteConnection connection = open(route, policy)) {
            return connection.send(transaction);
        }
    }

    /** As {@link #open(Route, Egress, TlsPolicy)}, from the default egress. */
    public SiteConnection open(Route route, TlsPolicy policy) {
        return open(route, Egress.DEFAULT, policy);
    }

    /**
     * A connection to the route's site from {@code egress} that carries several messages; it connects on the first
     * {@link SiteConnection#send}. Close it when the site's queue is empty.
     */
    public SiteConnection open(Route route, Egress egress, TlsPolicy policy) {
        return open(route, egress, policy, SiteConnection.TlsObserver.NONE);
    }

    /** As {@link #open(Route, Egress, TlsPolicy)}, telling {@code observer} how TLS went on each new connection. */
    SiteConnection open(Route route, Egress egress, TlsPolicy policy, SiteConnection.TlsObserver observer) {
        return new SiteConnection(route, new SiteConnection.From(egress, settings.heloName(), turns(egress)), policy,
                settings, tls, rules, deadlines, observer);
    }

    // each egress takes its source addresses in turn, connection after connection
    private AtomicInteger turns(Egress egress) {
        if (egress.sources().size() < 2) {
            return NO_TURNS;
        }
        AtomicInteger turn = turns.get(egress.name());
        return turn != null ? turn : turns.computeIfAbsent(egress.name(), name -> new AtomicInteger());
    }
}
