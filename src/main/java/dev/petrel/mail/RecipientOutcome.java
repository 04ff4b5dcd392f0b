package dev.petrel.mail;

import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;

/**
 * What became of one recipient in one attempt, with the reply that decided it: the server's, or one the client
 * made when the server gave none (a lost connection, a timeout, a limit known in advance).
 */
public sealed interface RecipientOutcome {

    Recipient recipient();

    Reply reply();

    /** The server took responsibility for the message (a 2xx to the final dot or the last BDAT). */
    record Delivered(Recipient recipient, Reply reply) implements RecipientOutcome {}

    /** Try again later: a 4xx, or a failure of the connection. */
    record Deferred(Recipient recipient, Reply reply) implements RecipientOutcome {}

    /** Refused for good: a 5xx; the sender gets a bounce. */
    record Failed(Recipient recipient, Reply reply) implements RecipientOutcome {}

    /** The outcome a reply's code means: 2xx delivered, 4xx deferred, 5xx failed. */
    static RecipientOutcome of(Recipient recipient, Reply reply) {
        if (reply.isPermanent()) {
            return new Failed(recipient, reply);
        }
        if (reply.isTransient()) {
            return new Deferred(recipient, reply);
        }
        if (reply.code() >= 300) {
            throw new IllegalArgumentException("an intermediate reply decides nothing: " + reply);
        }
        return new Delivered(recipient, reply);
    }
}
