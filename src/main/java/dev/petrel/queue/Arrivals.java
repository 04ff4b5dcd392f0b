package dev.petrel.queue;

import dev.petrel.mail.QueueId;
import java.time.Instant;

/** Told by intake of each message it queued that is not held: the message is due then. */
@FunctionalInterface
public interface Arrivals {

    void arrived(QueueId id, Instant due);

    Arrivals NONE = (id, due) -> { };
}
