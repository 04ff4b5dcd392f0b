package dev.petrel.delivery;

import dev.petrel.mail.Address;
import dev.petrel.mail.Recipient;
import dev.petrel.queue.StoredMessage;
import java.util.List;

/**
 * Delivery to the mailboxes of the local domains (Maildir, LMTP), next to {@link Transport} for other servers:
 * the same attempts, per-recipient outcomes, retries and bounces apply to both.
 */
public interface LocalTransport {

    /** No local domains: every recipient is remote. For tests of remote delivery. */
    LocalTransport NONE = new LocalTransport() {
        @Override
        public boolean handles(Address recipient) {
            return false;
        }

        @Override
        public List<Transport.Delivery> deliver(StoredMessage stored, List<Recipient> recipients) {
            throw new IllegalStateException("no local delivery");
        }
    };

    /** True when mail for this address is delivered here rather than relayed. */
    boolean handles(Address recipient);

    /**
     * Delivers the message to these recipients, all {@link #handles handled} here: one outcome each, in order.
     * Mail that goes on elsewhere (an alias) is queued anew, through the one door into the queue.
     */
    List<Transport.Delivery> deliver(StoredMessage stored, List<Recipient> recipients);
}
