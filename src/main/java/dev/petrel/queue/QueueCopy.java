package dev.petrel.queue;

import dev.petrel.mail.QueueId;
import java.io.IOException;
import java.util.Optional;

/**
 * Copies the messages of one queue into another, whatever keeps each (the embedded journal, PostgreSQL): each
 * message with its id, arrival, envelope, send context and content, then its state as it was (recipients
 * finished, the next attempt and the attempts made, the last error, a delay notice sent, held), and the cursors of
 * the feed's readers. The events of the source's feed stay there: the target's feed goes on from the source's
 * last number (made so before the copy, by the store's own means) with what happens next.
 */
public final class QueueCopy {

    private QueueCopy() {}

    /**
     * Copies every message of {@code from} into {@code to}, which must be empty and whose feed must go on after
     * {@code from}'s; returns how many.
     */
    public static int copy(QueueStore from, QueueStore to) throws IOException {
        if (!to.list().isEmpty()) {
            throw new QueueException("the target queue is not empty (" + to.list().size() + " message(s))");
        }
        if (to.last() < from.last()) {
            throw new QueueException("the target queue's event feed is at " + to.last() + ", before the source's "
                    + from.last() + ": event numbers would repeat");
        }
        for (var cursor : from.known().entrySet()) {
            to.save(cursor.getKey(), cursor.getValue());
        }
        int copied = 0;
        for (QueuedMessage m : from.list()) {
            Optional<StoredMessage> stored = from.read(m.id());
            if (stored.isPresent()) {
                copyOne(stored.get(), to);
                copied++;
            }
        }
        return copied;
    }

    private static void copyOne(StoredMessage stored, QueueStore to) throws IOException {
        QueuedMessage m = stored.message();
        QueueId id = m.id();
        to.enqueue(id, m.arrival(), m.envelope(), m.context(), new byte[0], stored.content(), m.held(), null);
        DeliveryState state = m.state();
        if (!state.finished().isEmpty()) {
            to.finish(id, state.finished());
        }
        if (state.attempts() > 0 || !state.nextAttempt().equals(m.arrival()) || state.lastError() != null) {
            to.schedule(id, state.nextAttempt(), state.attempts(), state.lastError());
        }
        if (state.delayNoticed()) {
            to.noteDelayNotice(id);
        }
    }
}
