package dev.petrel.queue;

import dev.petrel.mail.QueueId;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The queue as it can be read: what the command line and, later, the admin API show. A {@link QueueStore} is one;
 * so is a read-only view of a queue that a running server owns.
 */
public interface QueueView {

    /** Every message in the queue, oldest first, without content. */
    List<QueuedMessage> list() throws IOException;

    /** One message with its content. */
    Optional<StoredMessage> read(QueueId id) throws IOException;

    /** One message without its content. */
    default Optional<QueuedMessage> find(QueueId id) throws IOException {
        return list().stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
