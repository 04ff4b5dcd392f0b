package dev.petrel.mail;

import java.util.List;

/**
 * What a transaction says about a message besides its content: the reverse path, the recipients, the
 * MAIL parameters that delivery and bounces need (RFC 1652 BODY, RFC 6531 SMTPUTF8, RFC 3461 RET and
 * ENVID), and who handed it over.
 *
 * @param authenticatedUser the SMTP AUTH identity, or null
 * @param clientAddress the client's IP address, or "local" for the sendmail command
 * @param clientHelo the name given in EHLO or HELO, or null
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
        String clientHelo) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
    }

    /** RFC 1652 and RFC 3030 BODY values. */
    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** RFC 3461 4.3 RET values; NONE when RET was not given. */
    public enum Ret { NONE, FULL, HDRS }
}
