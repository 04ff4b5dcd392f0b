package dev.petrel.queue;

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
}
