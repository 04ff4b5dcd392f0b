package dev.petrel.delivery.remote;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import java.util.List;
import java.util.Optional;

/**
 * Applies MTA-STS (RFC 8461 5) on the way to a transport: under a policy in enforce mode only the MX hosts the
 * policy names are tried (and the transport requires verified TLS of them, by {@link MtaStsPolicies#enforced});
 * when none is left the mail waits. Testing and none modes change nothing.
 */
public final class MtaStsTransport implements Transport, AutoCloseable {

    // RFC 3463 3.8: X.7.5 Cryptographic failure, as for a failed required TLS
    static final EnhancedStatus POLICY_FAILURE = new EnhancedStatus(4, 7, 5);

    private final Transport next;
    private final MtaStsPolicies policies;

    public MtaStsTransport(Transport next, MtaStsPolicies policies) {
        this.next = next;
        this.policies = policies;
    }

    @Override
    public List<Delivery> deliver(Route route, Egress egress, Transaction transaction) {
        if (transaction.tlsOptional()) {
            // RFC 8689 4.2.2: the sender asked that the policy be set aside for this message
            return next.deliver(route, egress, transaction);
        }
        Optional<MtaStsPolicy> policy = policies.policyFor(route.destination());
        if (policy.isEmpty() || policy.get().mode() != MtaStsPolicy.Mode.ENFORCE) {
            return next.deliver(route, egress, transaction);
        }
        List<Route.Host> allowed = route.hosts().stream().filter(h -> policy.get().matches(h.name())).toList();
        if (allowed.isEmpty()) {
            Reply wait = Reply.of(451, POLICY_FAILURE, "No MX host of " + route.destination()
                    + " matches its MTA-STS policy");
            return transaction.recipients().stream()
                    .map(r -> new Delivery(new RecipientOutcome.Deferred(r, wait), "none")).toList();
        }
        return next.deliver(new Route(route.destination(), route.site(), allowed), egress, transaction);
    }

    @Override
    public void close() throws Exception {
        if (next instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
