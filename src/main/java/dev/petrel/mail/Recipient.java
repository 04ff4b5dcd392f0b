package dev.petrel.mail;

import java.util.Set;

/**
 * One RCPT TO: the forward-path mailbox and its DSN parameters (RFC 3461 4.1 NOTIFY, 4.2 ORCPT).
 * An empty {@code notify} set means NOTIFY was not given; {@code orcpt} is null when absent.
 */
public record Recipient(Address address, Set<Notify> notifyOn, String orcpt) {

    public Recipient {
        notifyOn = Set.copyOf(notifyOn);
        if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER stands alone (RFC 3461 4.1)");
        }
    }

    public static Recipient of(Address address) {
        return new Recipient(address, Set.of(), null);
    }

    /** RFC 3461 4.1 NOTIFY values. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }
}
