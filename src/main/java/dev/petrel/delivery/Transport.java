package dev.petrel.delivery;

import dev.petrel.bounce.Action;
import dev.petrel.dns.Route;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Transaction;
import java.util.List;

/** Carries one transaction to a routed destination and says what became of each recipient. */
public interface Transport {

    /** Carries the transaction from {@code egress} (its source address and EHLO name) to the route's hosts. */
    List<Delivery> deliver(Route route, Egress egress, Transaction transaction);

    /** From the default egress. */
    default List<Delivery> deliver(Route route, Transaction transaction) {
        return deliver(route, Egress.DEFAULT, transaction);
    }

    /**
     * One recipient's outcome and where it was decided.
     *
     * @param relay {@code host[ip]:port} of the server that answered, "local" for a mailbox here, or "none"
     *              when none did
     * @param successNotice on success, the RFC 3464 action that a NOTIFY=SUCCESS request is answered with from
     *                      here, or null when the next hop takes the request over
     */
    record Delivery(RecipientOutcome outcome, String relay, Action successNotice) {

        /** An outcome from a server without DSN: a success is reported here as relayed (RFC 3461 5.2.2). */
        public Delivery(RecipientOutcome outcome, String relay) {
            this(outcome, relay, false);
        }

        /** @param remoteDsn that server advertised DSN, so it handles NOTIFY=SUCCESS from here on */
        public Delivery(RecipientOutcome outcome, String relay, boolean remoteDsn) {
            this(outcome, relay, remoteDsn ? null : Action.RELAYED);
        }
    }
}
