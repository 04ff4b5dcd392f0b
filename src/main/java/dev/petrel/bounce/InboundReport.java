package dev.petrel.bounce;

import java.util.List;

/**
 * A report that a receiver sent back about a message: a delivery status notification (RFC 3464) or a complaint
 * in the Abuse Reporting Format (RFC 5965). Read by {@link ReportParser}.
 */
public sealed interface InboundReport {

    /** What the returned copy of the original message says of itself; null where it says nothing. */
    Original original();

    /** The header fields of the returned original that find Petrel's message: its sender, id and Feedback-ID. */
    record Original(String returnPath, String messageId, String feedbackId) {
        public static final Original NONE = new Original(null, null, null);
    }

    /**
     * RFC 3464 2.3: one recipient's fields of a delivery status notification.
     *
     * @param finalRecipient the address of Final-Recipient (RFC 3464 2.3.2), without its type
     * @param action failed, delayed, delivered, relayed or expanded (RFC 3464 2.3.3), lower case
     * @param status the Status field's code (RFC 3464 2.3.4)
     * @param diagnostic the Diagnostic-Code's text (RFC 3464 2.3.6) without its type, or null
     */
    record RecipientStatus(String finalRecipient, String originalRecipient, String action, String status,
                           String diagnostic, String remoteMta) {}

    /** A multipart/report with report-type=delivery-status. */
    record DeliveryReport(List<RecipientStatus> recipients, Original original) implements InboundReport {
        public DeliveryReport {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * A multipart/report with report-type=feedback-report (RFC 5965 3).
     *
     * @param feedbackType abuse, fraud, virus, other, not-spam (RFC 5965 7.3), lower case
     * @param originalRcptTo the Original-Rcpt-To field's address (RFC 5965 3.2), or null
     * @param originalMailFrom the Original-Mail-From field's address, or null
     */
    record Complaint(String feedbackType, String originalRcptTo, String originalMailFrom, String userAgent,
                     Original original) implements InboundReport {}
}
