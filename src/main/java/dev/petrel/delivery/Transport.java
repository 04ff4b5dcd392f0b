package dev.petrel.delivery;

import dev.petrel.dns.Route;
import dev.petrel.smtp.client.RecipientOutcome;
import dev.petrel.smtp.client.Transaction;
import java.util.List;

/** Carries one transaction to a routed destination and says what became of each recipient. */
public interface Transport {

    List<Delivery> deliver(Route route, Transaction transaction);

    /**
     * One recipient's outcome and where it was decided.
     *
     * @param relay {@code host[ip]:port} of the server that answered, or "none" when none did
     * @param remoteDsn that server advertised DSN, so it handles NOTIFY=SUCCESS from here on
     */
    record Delivery(RecipientOutcome outcome, String relay, boolean remoteDsn) {

        public Delivery(RecipientOutcome outcome, String relay) {
            this(outcome, relay, false);
        }
    }
}
