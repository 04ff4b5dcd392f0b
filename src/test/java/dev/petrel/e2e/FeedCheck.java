package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.queue.JournalQueueStore;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the event feed of a data folder holds, read as the next server would find it (no server may own the queue):
 * each change of a message is written with its event, so a crash may lose neither alone.
 */
final class FeedCheck {

    final List<MailEvent> events;

    private FeedCheck(List<MailEvent> events) {
        this.events = events;
    }

    /** Opens the queue (recovering what a crash left, as a start would) and reads the whole feed. */
    static FeedCheck read(Path queueDir) throws IOException {
        List<MailEvent> events = new ArrayList<>();
        try (JournalQueueStore queue = JournalQueueStore.open(queueDir, Clock.systemUTC(), new SecureRandom(),
                JournalQueueStore.DEFAULT_SEGMENT_SIZE)) {
            long cursor = 0;
            for (List<EventFeed.Entry> batch = queue.read(cursor, 10_000); !batch.isEmpty();
                 batch = queue.read(cursor, 10_000)) {
                for (EventFeed.Entry e : batch) {
                    assertTrue(e.cursor() > cursor, "the feed's numbers grow: " + e.cursor() + " after " + cursor);
                    cursor = e.cursor();
                    events.add(e.event());
                }
            }
        }
        return new FeedCheck(events);
    }

    Set<String> ids(Class<? extends MailEvent.OfMessage> kind) {
        Set<String> out = new HashSet<>();
        for (MailEvent e : events) {
            if (kind.isInstance(e)) {
                out.add(((MailEvent.OfMessage) e).id().value());
            }
        }
        return out;
    }

    /** Every message acknowledged with 250 has its queued event. */
    void assertQueued(Set<String> acknowledged) {
        TreeSet<String> missing = new TreeSet<>(acknowledged);
        missing.removeAll(ids(MailEvent.Queued.class));
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged message(s) have no queued event: "
                + missing.stream().limit(10).toList());
    }

    /** No event names a message whose queued event comes not before it: none reports what the queue never had. */
    void assertNoEventWithoutItsMessage() {
        Set<String> queued = new HashSet<>();
        for (MailEvent e : events) {
            if (e instanceof MailEvent.Queued q) {
                queued.add(q.id().value());
            } else if (e instanceof MailEvent.OfMessage m) {
                assertTrue(queued.contains(m.id().value()), "an event names a message never queued: " + e);
            }
        }
    }

    /** Every one of these messages has a delivered event. */
    void assertDelivered(Set<String> ids) {
        TreeSet<String> missing = new TreeSet<>(ids);
        missing.removeAll(ids(MailEvent.Delivered.class));
        assertTrue(missing.isEmpty(), missing.size() + " delivered message(s) have no delivered event: "
                + missing.stream().limit(10).toList());
    }
}
