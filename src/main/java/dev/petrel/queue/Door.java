package dev.petrel.queue;

import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import java.io.IOException;

/**
 * The one door into the queue for mail made here: delivery status notifications and the copies an alias
 * forwards. Intake implements it, as it does the door for SMTP and {@code sendmail}: each message gets its
 * {@code Queued} event with it, and the scheduler hears of it.
 */
public interface Door {

    /** Queues a message made here whose content is {@code head} then {@code body}; returns its id once durable. */
    QueueId enqueue(Envelope envelope, byte[] head, byte[] body) throws IOException;

    /**
     * Queues the copy that an alias of the domain {@code via} forwards to another server: as {@link #enqueue}, and
     * intake seals it in that domain's name (ARC, RFC 8617) when it can.
     */
    default QueueId forward(Envelope envelope, Domain via, byte[] head, byte[] body) throws IOException {
        return enqueue(envelope, head, body);
    }
}
