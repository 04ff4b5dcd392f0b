package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import dev.petrel.testing.MemoryFeed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A reader of the feed that hands on batches: in order, durable before its cursor is saved, and waited for. */
class FeedReaderTest {

    private static void add(MemoryFeed feed, int n) {
        for (int i = 0; i < n; i++) {
            feed.add(new MailEvent.Flushed(Instant.EPOCH, i));
        }
    }

    @Test
    void batchesArriveInOrderAndAreDurableBeforeTheCursorIsSavedPastThem() throws Exception {
        MemoryFeed feed = new MemoryFeed();
        add(feed, 700);
        List<Long> handed = new CopyOnWriteArrayList<>();
        FeedReader reader = FeedReader.start("test", feed, feed, new FeedReader.Batches() {
            @Override
            public void handle(List<EventFeed.Entry> batch) {
                batch.forEach(e -> handed.add(e.cursor()));
            }

            @Override
            public void durable(long cursor) {
                feed.steps.add("durable " + cursor);
            }
        }, Duration.ofHours(1));
        assertTrue(reader.awaitCursor(700, Duration.ofSeconds(10)));
        assertFalse(reader.awaitCursor(701, Duration.ofMillis(50)), "nothing after 700 yet");
        add(feed, 1);
        assertTrue(reader.awaitCursor(701, Duration.ofSeconds(10)));
        reader.close();
        assertEquals(701, handed.size());
        for (int i = 0; i < handed.size(); i++) {
            assertEquals(i + 1, handed.get(i));
        }
        assertEquals(List.of("durable 701", "save 701"), feed.steps);
    }
}
