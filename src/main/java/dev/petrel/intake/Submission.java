package dev.petrel.intake;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;

/**
 * An accepted transaction on its way into the queue.
 *
 * @param content the message as received, CRLF line breaks
 * @param protocol the WITH value of the Received header (RFC 3848: ESMTPSA and so on)
 * @param tlsProtocol the TLS version in force, or null
 * @param tlsCipher the cipher suite in force, or null
 * @param completeHeaders add Message-ID and Date when missing (a submission, RFC 6409 8)
 * @param ours the mail starts here: from an authenticated user, a client in the relay networks, or a local
 *             program; it is DKIM-signed for its author's domain (like OpenDKIM's InternalHosts with Postfix)
 * @param context the tenant, stream, tag and metadata it is sent with (its events carry them)
 * @param held queued on hold, out of delivery until released (a milter's quarantine)
 * @param id the queue id it was promised (from {@link Intake#newId}: a milter was told it as {i}), or null for a
 *           new one
 */
public record Submission(Envelope envelope, byte[] content, String protocol, String tlsProtocol, String tlsCipher,
                         boolean completeHeaders, boolean ours, SendContext context, boolean held, QueueId id) {

    public Submission(Envelope envelope, byte[] content, String protocol, String tlsProtocol, String tlsCipher,
                      boolean completeHeaders, boolean ours, SendContext context) {
        this(envelope, content, protocol, tlsProtocol, tlsCipher, completeHeaders, ours, context, false, null);
    }

    /** The same submission with other content, put on hold or not, under the id given (or null). */
    public Submission with(byte[] otherContent, boolean onHold, QueueId promised) {
        return new Submission(envelope, otherContent, protocol, tlsProtocol, tlsCipher, completeHeaders, ours, context,
                onHold, promised);
    }

    public Submission(Envelope envelope, byte[] content, String protocol, String tlsProtocol, String tlsCipher,
                      boolean completeHeaders, boolean ours) {
        this(envelope, content, protocol, tlsProtocol, tlsCipher, completeHeaders, ours, SendContext.EMPTY);
    }

    /** Ours when authenticated. */
    public Submission(Envelope envelope, byte[] content, String protocol, String tlsProtocol, String tlsCipher,
                      boolean completeHeaders) {
        this(envelope, content, protocol, tlsProtocol, tlsCipher, completeHeaders, envelope.authenticatedUser() != null);
    }
}
