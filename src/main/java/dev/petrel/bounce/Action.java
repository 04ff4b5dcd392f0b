package dev.petrel.bounce;

import java.util.Locale;

/** RFC 3464 2.3.3 action-value: what the reporting MTA did with a recipient. */
public enum Action {
    /** Could not be delivered and will not be retried. */
    FAILED(DsnKind.FAILURE),
    /** Not yet delivered; the MTA keeps trying. */
    DELAYED(DsnKind.DELAY),
    /** Delivered to the recipient's mailbox. */
    DELIVERED(DsnKind.SUCCESS),
    /** Passed on to a system that does not send DSNs (RFC 3461 6.2.1.3: NOTIFY=SUCCESS to a non-DSN MTA). */
    RELAYED(DsnKind.SUCCESS),
    /** Delivered and forwarded on to several other addresses (an alias or list). */
    EXPANDED(DsnKind.SUCCESS);

    private final DsnKind kind;

    Action(DsnKind kind) {
        this.kind = kind;
    }

    /** The kind of DSN that reports this action. */
    public DsnKind kind() {
        return kind;
    }

    /** The field value, as the Action field spells it ("failed"). */
    public String fieldValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a status of that class fits the action. RFC 3464 2.3.4 and RFC 3463: failures are permanent
     * (5) or, for a message that expired after temporary errors, the last temporary status (4, as 4.4.7);
     * delays are temporary (4); successes are 2.
     */
    boolean fits(int statusClass) {
        return switch (this) {
            case FAILED -> statusClass == 5 || statusClass == 4;
            case DELAYED -> statusClass == 4;
            case DELIVERED, RELAYED, EXPANDED -> statusClass == 2;
        };
    }
}
