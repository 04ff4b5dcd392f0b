package dev.petrel.bounce;

import dev.petrel.mail.Recipient;
import dev.petrel.mail.Recipient.Notify;

/**
 * The three kinds of delivery status notification, one per RFC 3461 4.1 NOTIFY event. One DSN reports one
 * kind only, so the sender gets a bounce, a delay notice and a success report as separate messages.
 */
public enum DsnKind {
    FAILURE("Undelivered Mail Returned to Sender"),
    DELAY("Delayed Mail (still being retried)"),
    SUCCESS("Successful Mail Delivery Report");

    private final String subject;

    DsnKind(String subject) {
        this.subject = subject;
    }

    /** The Subject of a DSN of this kind. */
    public String subject() {
        return subject;
    }

    /**
     * Whether the recipient asked for a DSN of this kind. RFC 3461 4.1: NOTIFY=NEVER asks for none; without
     * NOTIFY the MTA behaves as for NOTIFY=FAILURE,DELAY (failure DSNs are sent, delay DSNs at the MTA's
     * discretion: Petrel sends them, as Postfix does), and never for success.
     */
    public boolean isWantedBy(Recipient recipient) {
        var notifyOn = recipient.notifyOn();
        if (notifyOn.contains(Notify.NEVER)) {
            return false;
        }
        if (notifyOn.isEmpty()) {
            return this != SUCCESS;
        }
        return notifyOn.contains(switch (this) {
            case FAILURE -> Notify.FAILURE;
            case DELAY -> Notify.DELAY;
            case SUCCESS -> Notify.SUCCESS;
        });
    }
}
