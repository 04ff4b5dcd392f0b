package dev.petrel.bounce;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Recipient;
import java.time.Instant;
import java.util.Objects;

/**
 * One recipient's outcome as a DSN reports it (RFC 3464 2.3): the recipient as the original envelope had it
 * (address, NOTIFY and ORCPT), what was done, the status, and where known the remote MTA, its reply and the
 * time of the last attempt. Delivery builds one of these per recipient it reports.
 *
 * @param recipient the original recipient, with its RFC 3461 NOTIFY and ORCPT
 * @param action the RFC 3464 2.3.3 action
 * @param status the RFC 3463 status; its class fits the action
 * @param remoteMta the remote MTA's host name (RFC 3464 2.3.5), or null when none was reached
 * @param diagnostic the remote reply or local error (RFC 3464 2.3.6), or null when there is none
 * @param lastAttempt the time of the last attempt (RFC 3464 2.3.7), or null
 * @param willRetryUntil for a delay, when the MTA gives up (RFC 3464 2.3.8); null for every other action
 */
public record RecipientReport(
        Recipient recipient,
        Action action,
        EnhancedStatus status,
        String remoteMta,
        Diagnostic diagnostic,
        Instant lastAttempt,
        Instant willRetryUntil) {

    public RecipientReport {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        if (!action.fits(status.statusClass())) {
            throw new IllegalArgumentException("status " + status + " does not fit action " + action.fieldValue());
        }
        if (willRetryUntil != null && action != Action.DELAYED) {
            throw new IllegalArgumentException("RFC 3464 2.3.8: Will-Retry-Until only for delayed recipients");
        }
        if (remoteMta != null && (remoteMta.isBlank() || !remoteMta.matches("[\\x21-\\x7e]+"))) {
            throw new IllegalArgumentException("invalid remote MTA name: " + remoteMta);
        }
    }

    /** A permanent failure, as a remote server's 5xx or a local rule decided it. */
    public static RecipientReport failed(Recipient recipient, EnhancedStatus status, String remoteMta,
            Diagnostic diagnostic, Instant lastAttempt) {
        return new RecipientReport(recipient, Action.FAILED, status, remoteMta, diagnostic, lastAttempt, null);
    }

    /** A recipient still being retried, until {@code willRetryUntil}. */
    public static RecipientReport delayed(Recipient recipient, EnhancedStatus status, String remoteMta,
            Diagnostic diagnostic, Instant lastAttempt, Instant willRetryUntil) {
        return new RecipientReport(recipient, Action.DELAYED, status, remoteMta, diagnostic, lastAttempt,
                willRetryUntil);
    }

    /** A success: delivered, relayed to a non-DSN server, or expanded. */
    public static RecipientReport succeeded(Recipient recipient, Action action, EnhancedStatus status,
            String remoteMta, Diagnostic diagnostic, Instant lastAttempt) {
        if (action.kind() != DsnKind.SUCCESS) {
            throw new IllegalArgumentException("not a success action: " + action);
        }
        return new RecipientReport(recipient, action, status, remoteMta, diagnostic, lastAttempt, null);
    }

    /** The kind of DSN that reports this outcome. */
    public DsnKind kind() {
        return action.kind();
    }
}
