package dev.petrel.mail;

import java.util.List;

/**
 * What a transaction says about a message besides its content: the reverse path, the recipients, the
 * MAIL parameters that delivery and bounces need (RFC 1652 BODY, RFC 6531 SMTPUTF8, RFC 3461 RET and
 * ENVID, RFC 8689 REQUIRETLS), and who handed it over.
 *
 * @param authenticatedUser the SMTP AUTH identity, or null
 * @param clientAddress the client's IP address, or "local" for the sendmail command
 * @param clientHelo the name given in EHLO or HELO, or null
 * @param requireTls RFC 8689 4.1: the message came with REQUIRETLS on MAIL, and is tagged so wherever it goes
 *     (onward relay, alias copies, its non-delivery notice)
 */
public record Envelope(
        ReversePath reversePath,
        List<Recipient> recipients,
        BodyType bodyType,
        boolean smtpUtf8,
        Ret ret,
        String envid,
        String authenticatedUser,
        String clientAddress,
        String clientHelo,
        boolean requireTls) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
    }

    /** Without REQUIRETLS. */
    public Envelope(ReversePath reversePath, List<Recipient> recipients, BodyType bodyType, boolean smtpUtf8, Ret ret,
                    String envid, String authenticatedUser, String clientAddress, String clientHelo) {
        this(reversePath, recipients, bodyType, smtpUtf8, ret, envid, authenticatedUser, clientAddress, clientHelo,
                false);
    }

    /** The same envelope from another sender (VERP, a notice sent as the postmaster). */
    public Envelope withReversePath(ReversePath sender) {
        return new Envelope(sender, recipients, bodyType, smtpUtf8, ret, envid, authenticatedUser, clientAddress,
                clientHelo, requireTls);
    }

    /** The same envelope for other recipients (a copy of the message for some of them). */
    public Envelope withRecipients(List<Recipient> others) {
        return new Envelope(reversePath, others, bodyType, smtpUtf8, ret, envid, authenticatedUser, clientAddress,
                clientHelo, requireTls);
    }

    /** The same envelope tagged (or not) with RFC 8689's REQUIRETLS. */
    public Envelope withRequireTls(boolean tagged) {
        return new Envelope(reversePath, recipients, bodyType, smtpUtf8, ret, envid, authenticatedUser, clientAddress,
                clientHelo, tagged);
    }

    /** RFC 1652 and RFC 3030 BODY values. */
    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** RFC 3461 4.3 RET values; NONE when RET was not given. */
    public enum Ret { NONE, FULL, HDRS }
}
