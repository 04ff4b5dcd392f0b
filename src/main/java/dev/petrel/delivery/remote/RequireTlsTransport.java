package dev.petrel.delivery.remote;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.mail.Domain;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.client.RequireTls;
import dev.petrel.smtp.client.TlsPolicy;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * RFC 8689 4.2.1 on the way to a transport, for messages tagged REQUIRETLS (with a sender: notifications are
 * exempt, section 5): the destination's servers must be authenticated, their names and their certificates. A name
 * from an MX record counts when the MX look-up is validated (an MTA-STS policy in enforce mode, which then keeps
 * only the MX hosts it names; DNSSEC once the resolver reports it); a host named the destination itself (an implicit
 * MX) needs no MX record. Certificates count when the destination's TLS policy authenticates them
 * ({@link TlsPolicy#authenticates}). When nothing qualifies the message is returned at once with X.7.30; the
 * session itself then checks each host ({@link RequireTls}).
 */
public final class RequireTlsTransport implements Transport, AutoCloseable {

    private final Transport next;
    private final Predicate<Route> mxValidated;
    private final Function<Domain, TlsPolicy> tlsPolicy;

    /**
     * @param mxValidated whether the route's MX hosts were validated (RFC 8689 4.2.1: DNSSEC or MTA-STS)
     * @param tlsPolicy the TLS policy of each destination domain, as the transport applies it
     */
    public RequireTlsTransport(Transport next, Predicate<Route> mxValidated, Function<Domain, TlsPolicy> tlsPolicy) {
        this.next = next;
        this.mxValidated = mxValidated;
        this.tlsPolicy = tlsPolicy;
    }

    @Override
    public List<Delivery> deliver(Route route, Egress egress, Transaction transaction) {
        if (!transaction.tlsRequired()) {
            return next.deliver(route, egress, transaction);
        }
        Domain domain = route.destination();
        if (!tlsPolicy.apply(domain).authenticates()) {
            return refused(transaction, "the servers of " + domain + " cannot be authenticated (no MTA-STS policy in"
                    + " enforce mode, no require_tls)");
        }
        if (mxValidated.test(route)) {
            return next.deliver(route, egress, transaction);
        }
        List<Route.Host> own = route.hosts().stream().filter(h -> named(h, domain)).toList();
        if (own.isEmpty()) {
            return refused(transaction, "the MX hosts of " + domain + " are not validated (no MTA-STS policy in"
                    + " enforce mode, no DNSSEC)");
        }
        return next.deliver(new Route(domain, route.site(), own), egress, transaction);
    }

    private static boolean named(Route.Host host, Domain domain) {
        String name = host.name().toLowerCase(Locale.ROOT);
        return (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).equals(domain.name());
    }

    private static List<Delivery> refused(Transaction transaction, String why) {
        return transaction.recipients().stream()
                .map(r -> new Delivery(new RecipientOutcome.Failed(r, RequireTls.refusal(why)), "none")).toList();
    }

    @Override
    public void close() throws Exception {
        if (next instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
