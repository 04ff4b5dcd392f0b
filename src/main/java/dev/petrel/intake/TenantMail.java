package dev.petrel.intake;

import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import java.util.Optional;

/**
 * What intake adds to a tenant's mail (a message whose {@link SendContext} names a tenant) for feedback from
 * receivers: a VERP envelope sender on the bounce domain ({@code [bounce] domain}), and Gmail's
 * {@code Feedback-ID: tag:stream:tenant:SenderId} header (support.google.com/mail/answer/6254652: up to three
 * optional identifiers, then a sender id of 5 to 15 characters that stays the same across the mail stream),
 * added before the DKIM signature, which must cover it for Gmail to trust it.
 *
 * @param bounces the bounce addresses, or null when no bounce domain is configured (senders kept as they are)
 * @param senderId the right-most Feedback-ID field, or null for no Feedback-ID
 * @param feedback what reads the reports that come back to the bounce domain and the complaints addresses
 */
public record TenantMail(BounceAddresses bounces, String senderId, Feedback feedback) {

    public static final TenantMail NONE = new TenantMail(null, null, Feedback.NONE);

    public TenantMail(BounceAddresses bounces, String senderId) {
        this(bounces, senderId, Feedback.NONE);
    }

    public TenantMail {
        if (senderId != null && (senderId.length() < 5 || senderId.length() > 15 || !plain(senderId))) {
            throw new IllegalArgumentException("a Feedback-ID sender id is 5 to 15 letters, digits, '-' or '.'");
        }
    }

    /**
     * The envelope with its sender on the bounce domain, for tenant mail with a sender (a null sender stays
     * null: nothing may be returned to it, RFC 5321 4.5.5).
     */
    Envelope rewrite(Envelope env, QueueId id, SendContext context) {
        if (bounces == null || context.tenant() == null || env.reversePath().isNull()) {
            return env;
        }
        ReversePath verp = ReversePath.of(bounces.forMessage(id, context));
        return env.withReversePath(verp);
    }

    /** The Feedback-ID field (with its CRLF) for tenant mail. */
    Optional<String> feedbackId(SendContext context) {
        if (senderId == null || context.tenant() == null) {
            return Optional.empty();
        }
        return Optional.of("Feedback-ID: " + identifier(context.tag()) + ":" + identifier(context.stream()) + ":"
                + identifier(context.tenant()) + ":" + senderId + "\r\n");
    }

    // an identifier holds no colon (the separator) and nothing a header field may not: other characters become '-'
    private static String identifier(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 64));
        for (int i = 0; i < value.length() && out.length() < 64; i++) {
            char c = value.charAt(i);
            out.append(c > 32 && c < 127 && c != ':' ? c : '-');
        }
        return out.toString();
    }

    private static boolean plain(String s) {
        return s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'));
    }
}
