package dev.petrel.queue;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue. {@link #enqueue} returns only once the message is on stable storage, so the server may
 * answer 250; everything else reads or changes what is there. Implementations are thread-safe. Nothing in
 * this interface names files: the embedded store keeps a journal, a later one keeps rows in PostgreSQL.
 */
public interface QueueStore extends AutoCloseable {

    /** A fresh id, unique in this store, for a message about to be enqueued (the Received header names it). */
    QueueId newId();

    /** Stores the message durably; when this returns, a crash does not lose it. */
    default void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] content) throws IOException {
        enqueue(id, arrival, envelope, new byte[0], content);
    }

    /**
     * Stores a message whose content is {@code head} (trace headers added here) followed by {@code body} (as
     * received), without joining them in memory first.
     */
    default void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] head, byte[] body) throws IOException {
        enqueue(id, arrival, envelope, head, body, false);
    }

    /**
     * Stores a message as {@link #enqueue(QueueId, Instant, Envelope, byte[], byte[])} does; a {@code held} one
     * stays out of delivery until {@link #release released}, as if {@link #hold} had been called in the same
     * write.
     */
    void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] head, byte[] body, boolean held)
            throws IOException;

    /** Every message in the queue, oldest first, without content. */
    List<QueuedMessage> list() throws IOException;

    /** One message with its content. */
    Optional<StoredMessage> read(QueueId id) throws IOException;

    /**
     * Records that these recipients (indexes into the envelope's list) are finished: delivered, or failed and
     * reported to the sender. A crash after this never delivers them again. False when there was no message.
     */
    boolean finish(QueueId id, Set<Integer> recipients) throws IOException;

    /**
     * Records when the next attempt is due, how many attempts were made and why the last failed. Delivery writes
     * this before an attempt, so a crash in the middle of one does not make the receiver see an immediate retry.
     */
    boolean schedule(QueueId id, Instant nextAttempt, int attempts, String lastError) throws IOException;

    /** Records that the sender was told its message is delayed, so it is told only once. */
    boolean noteDelayNotice(QueueId id) throws IOException;

    /** Removes a message for good; false when there was none. */
    boolean delete(QueueId id) throws IOException;

    /**
     * Removes a message whose every recipient is finished, as {@link #delete} does, except that it may return
     * before the removal is on stable storage. Delivery is at least once: a crash before the removal reaches the
     * disk brings the message back, and it is delivered again, never lost. An operator's removal uses
     * {@link #delete}, which a crash never undoes.
     */
    default boolean deleteDelivered(QueueId id) throws IOException {
        return delete(id);
    }

    /** Keeps a message from delivery until released; false when there was none. */
    boolean hold(QueueId id) throws IOException;

    /** Lets a held message be delivered again; false when there was none. */
    boolean release(QueueId id) throws IOException;

    @Override
    void close() throws IOException;
}
