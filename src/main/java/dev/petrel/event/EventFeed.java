package dev.petrel.event;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The durable, ordered feed of events. Each event has a cursor, a number that grows in the order the events were
 * written; an event is readable once it is on stable storage with the change it reports. Readers keep their own
 * cursor (see {@link Cursors}) and may see an event twice after a crash, so what they do with one is idempotent.
 */
public interface EventFeed {

    /**
     * One event and its place in the feed.
     *
     * @param node the name of the node that wrote it, on a queue several nodes share; null on the embedded journal
     *             (one server) and for events the command line wrote
     */
    record Entry(long cursor, MailEvent event, String node) {

        public Entry(long cursor, MailEvent event) {
            this(cursor, event, null);
        }
    }

    /**
     * The events after {@code cursor}, oldest first, at most {@code max}; empty when there are none yet. A cursor
     * older than anything kept reads from the oldest event kept.
     */
    List<Entry> read(long after, int max) throws IOException;

    /** The cursor of the newest readable event (0 when there is none). */
    long last();

    /** Waits until an event after {@code cursor} is readable, or the time is up; true when one is. */
    boolean await(long cursor, Duration timeout) throws InterruptedException;

    /** Writes an event that reports no change of a queued message (a refusal, an operator's flush). */
    void append(MailEvent event);

    /**
     * As {@link #append}, returning only once the event is on stable storage: for an event whose writer answers
     * someone that it is done (a recipient who unsubscribed).
     */
    default void record(MailEvent event) throws IOException {
        append(event);
    }
}
