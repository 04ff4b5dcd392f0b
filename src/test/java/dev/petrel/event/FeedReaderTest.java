package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A reader of the feed that hands on batches: in order, durable before its cursor is saved, and waited for. */
class FeedReaderTest {

    /** A feed and its cursors in memory, and the order in which things were done to them. */
    private static final class Feed implements EventFeed, Cursors {
        final List<Entry> entries = new CopyOnWriteArrayList<>();
        final List<String> steps = Collections.synchronizedList(new ArrayList<>());

        void add(int n) {
            for (int i = 0; i < n; i++) {
                entries.add(new Entry(entries.size() + 1, new MailEvent.Flushed(Instant.EPOCH, i)));
            }
        }

        @Override
        public List<Entry> read(long after, int max) {
            return entries.stream().filter(e -> e.cursor() > after).limit(max).toList();
        }

        @Override
        public long last() {
            return entries.size();
        }

        @Override
        public boolean await(long cursor, Duration timeout) throws InterruptedException {
            Thread.sleep(5);
            return last() > cursor;
        }

        @Override
        public void append(MailEvent event) {
            entries.add(new Entry(entries.size() + 1, event));
        }

        @Override
        public long load(String reader) {
            return 0;
        }

        @Override
        public void save(String reader, long cursor) {
            steps.add("save " + cursor);
        }
    }

    @Test
    void batchesArriveInOrderAndAreDurableBeforeTheCursorIsSavedPastThem() throws Exception {
        Feed feed = new Feed();
        feed.add(700);
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
        feed.add(1);
        assertTrue(reader.awaitCursor(701, Duration.ofSeconds(10)));
        reader.close();
        assertEquals(701, handed.size());
        for (int i = 0; i < handed.size(); i++) {
            assertEquals(i + 1, handed.get(i));
        }
        assertEquals(List.of("durable 701", "save 701"), feed.steps);
    }
}
