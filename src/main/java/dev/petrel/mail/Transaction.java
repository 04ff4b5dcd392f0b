package dev.petrel.mail;

import java.util.List;

/**
 * One message to hand to the server: the envelope it was queued with (sender, BODY, SMTPUTF8, RET, ENVID,
 * REQUIRETLS), the recipients to try in this transaction (those for this site not yet finished), and the content as
 * queued.
 */
public record Transaction(Envelope envelope, List<Recipient> recipients, byte[] content) {

    public Transaction {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a transaction has at least one recipient");
        }
    }

    /** All the envelope's recipients. */
    public static Transaction of(Envelope envelope, byte[] content) {
        return new Transaction(envelope, envelope.recipients(), content);
    }

    /** RFC 6531 3.4: a message needs SMTPUTF8 when it came with it or when an address has UTF-8 in it. */
    public boolean needsSmtpUtf8() {
        if (envelope.smtpUtf8()) {
            return true;
        }
        if (envelope.reversePath().mailbox().map(a -> a.needsUtf8()).orElse(false)) {
            return true;
        }
        return recipients.stream().anyMatch(r -> r.address().needsUtf8());
    }

    /**
     * RFC 8689 4.2.1: a message tagged REQUIRETLS, unless it is a notification (the null reverse path), goes only to
     * a server reached with authenticated TLS that offers REQUIRETLS; else it is returned, never sent in clear.
     */
    public boolean tlsRequired() {
        return envelope.requireTls() && !envelope.reversePath().isNull();
    }

    /**
     * RFC 8689 3 and 4.2.2: "TLS-Required: No" in the header asks that the recipient domain's TLS policy (MTA-STS,
     * DANE, a configured requirement) be set aside for this message; ignored when MAIL carried REQUIRETLS (4.1).
     */
    public boolean tlsOptional() {
        if (envelope.requireTls()) {
            return false;
        }
        return HeaderSection.read(content).all("TLS-Required").stream()
                .anyMatch(f -> f.unfoldedValue().strip().equalsIgnoreCase("No"));
    }

    public boolean eightBit() {
        return envelope.bodyType() != Envelope.BodyType.SEVEN_BIT;
    }
}
