package dev.petrel.delivery.remote;

import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.mail.Transaction;
import dev.petrel.net.Deadlines;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.util.List;

/**
 * Delivers messages to remote sites over SMTP: the socket driver of {@link dev.petrel.smtp.client.ClientSession}.
 * Each recipient gets an outcome (delivered on 2xx, deferred on 4xx or any network or TLS failure, failed on 5xx)
 * with the host that decided it. Safe to share between threads; each {@link SiteConnection} belongs to one.
 */
public final class RemoteDelivery implements Transport {

    private final RemoteSettings settings;
    private final TlsContexts tls;
    private final Deadlines deadlines;

    public RemoteDelivery(RemoteSettings settings) {
        this.settings = settings;
        this.tls = new TlsContexts(settings.trustStore());
        Timeouts t = settings.timeouts();
        this.deadlines = new Deadlines(Deadlines.tickFor(t.greeting(), t.ehlo(), t.mail(), t.rcpt(), t.dataInit(),
                t.dataBlock(), t.finalDot()));
    }

    /** {@link Transport}: one message on a connection of its own, with opportunistic TLS (RFC 7435). */
    @Override
    public List<Delivery> deliver(Route route, Transaction transaction) {
        return attempt(route, transaction, TlsPolicy.OPPORTUNISTIC).stream()
                .map(a -> new Delivery(a.outcome(), a.relay()))
                .toList();
    }

    /** One message on a connection of its own, with the destination's TLS policy. */
    public List<Attempted> attempt(Route route, Transaction transaction, TlsPolicy policy) {
        try (SiteConnection connection = open(route, policy)) {
            return connection.send(transaction);
        }
    }

    /**
     * A connection to the route's site that carries several messages; it connects on the first
     * {@link SiteConnection#send}. Close it when the site's queue is empty.
     */
    public SiteConnection open(Route route, TlsPolicy policy) {
        return new SiteConnection(route, policy, settings, tls, deadlines);
    }
}
