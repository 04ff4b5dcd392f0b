package dev.petrel.queue;

import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue, and the feed of the events that report its changes. {@link #enqueue} returns only once the
 * message is on stable storage, so the server may answer 250; {@link #apply} writes a change of a message together
 * with its events, so a crash keeps both or neither. Implementations are thread-safe. Nothing in this interface
 * names files: the embedded store keeps a journal, a later one keeps rows in PostgreSQL.
 */
public interface QueueStore extends QueueView, EventFeed, Cursors, AutoCloseable {

    /**
     * Octets free for the queue on its file system (to an unprivileged writer); a store that cannot tell says
     * {@link Long#MAX_VALUE}.
     */
    default long usableSpace() throws IOException {
        return Long.MAX_VALUE;
    }

    /** A fresh id, unique in this store, for a message about to be enqueued (the Received header names it). */
    QueueId newId();

    /**
     * Stores a message whose content is {@code head} (trace headers added here) followed by {@code body} (as
     * received), without joining them in memory first, with its send context (kept with it, for its later events
     * and its egress) and the event that reports it (null for none); when this returns, a crash loses neither. A
     * {@code held} message stays out of delivery until released. Only intake, the one door into the queue, calls
     * this outside tests.
     */
    void enqueue(QueueId id, Instant arrival, Envelope envelope, SendContext context, byte[] head, byte[] body,
                 boolean held, MailEvent.Queued queued) throws IOException;

    /**
     * Writes a change of a message and its events in one durable write (see {@link Change.Remove} for the one
     * step not waited for); false when there was no message.
     */
    boolean apply(QueueId id, Change change) throws IOException;

    /**
     * Writes events that report no change of a queued message (reports from receivers about mail that has left) and
     * returns once they are on stable storage: the report's sender hears 250 only then.
     */
    void record(List<MailEvent> events) throws IOException;

    /**
     * The message with its content, for an attempt to deliver it: on a queue several nodes share, only while this
     * node owns it (another node may have claimed it since it was scheduled here); empty otherwise.
     */
    default Optional<StoredMessage> readOwned(QueueId id) throws IOException {
        return read(id);
    }

    @Override
    void close() throws IOException;

    // What follows writes single steps without events, for tests and tools that need no events.

    default void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] content) throws IOException {
        enqueue(id, arrival, envelope, new byte[0], content);
    }

    default void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] head, byte[] body) throws IOException {
        enqueue(id, arrival, envelope, head, body, false, null);
    }

    default void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] head, byte[] body, boolean held)
            throws IOException {
        enqueue(id, arrival, envelope, head, body, held, null);
    }

    /** A message without a send context. */
    default void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] head, byte[] body, boolean held,
                         MailEvent.Queued queued) throws IOException {
        enqueue(id, arrival, envelope, SendContext.EMPTY, head, body, held, queued);
    }

    /** These recipients (indexes into the envelope's list) are finished: a crash after this never delivers them again. */
    default boolean finish(QueueId id, Set<Integer> recipients) throws IOException {
        return apply(id, Change.of(new Change.Finish(recipients)));
    }

    /** When the next attempt is due, how many were made and why the last failed; written before an attempt. */
    default boolean schedule(QueueId id, Instant nextAttempt, int attempts, String lastError) throws IOException {
        return apply(id, Change.of(new Change.Schedule(nextAttempt, attempts, lastError)));
    }

    default boolean noteDelayNotice(QueueId id) throws IOException {
        return apply(id, Change.of(new Change.Noticed()));
    }

    default boolean delete(QueueId id) throws IOException {
        return apply(id, Change.of(new Change.Remove(true)));
    }

    /** Removes a message whose every recipient is finished; the removal may reach the disk after this returns. */
    default boolean deleteDelivered(QueueId id) throws IOException {
        return apply(id, Change.of(new Change.Remove(false)));
    }

    default boolean hold(QueueId id) throws IOException {
        return apply(id, Change.of(new Change.Hold()));
    }

    default boolean release(QueueId id) throws IOException {
        return apply(id, Change.of(new Change.Release()));
    }
}
