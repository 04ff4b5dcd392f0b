package dev.petrel.queue;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import java.time.Instant;

/** What the queue knows of a message besides its content. */
public record QueuedMessage(QueueId id, Instant arrival, Envelope envelope, long size, boolean held) {

    QueuedMessage withHeld(boolean newHeld) {
        return new QueuedMessage(id, arrival, envelope, size, newHeld);
    }
}
