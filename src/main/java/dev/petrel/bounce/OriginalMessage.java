package dev.petrel.bounce;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.StoredMessage;
import java.time.Instant;
import java.util.Objects;

/**
 * The message a DSN reports on, as the queue holds it: its id, arrival time, envelope and content (trace
 * headers included).
 */
public record OriginalMessage(QueueId id, Instant arrival, Envelope envelope, byte[] content) {

    public OriginalMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
    }

    /** The message as read from the queue. */
    public static OriginalMessage of(StoredMessage stored) {
        var m = stored.message();
        return new OriginalMessage(m.id(), m.arrival(), m.envelope(), stored.content());
    }
}
