package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A queue made to go on from another store's feed (petrel store copy): its events are numbered on from there. */
class ContinuedFeedTest {

    @TempDir
    Path dir;

    @Test
    void theFeedGoesOnAfterTheLastNumberAndAReaderAtZeroWaitsForTheFirstEvent() throws Exception {
        JournalQueueStore.continueFeed(dir, 100);
        try (JournalQueueStore queue = open()) {
            assertEquals(100, queue.last());
            long started = System.nanoTime();
            assertFalse(queue.await(0, Duration.ofMillis(300)), "no event to read yet: the reader waits");
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(250).toNanos(), "it waited, not spun");
            queue.record(List.of(new MailEvent.Flushed(Instant.parse("2026-12-07T12:00:00Z"), 0)));
            assertTrue(queue.await(0, Duration.ofSeconds(5)));
            List<EventFeed.Entry> read = queue.read(0, 10);
            assertEquals(1, read.size());
            assertEquals(101, read.getFirst().cursor());
        }
        try (JournalQueueStore again = open()) {
            assertEquals(101, again.last(), "the numbering survives a restart");
        }
    }

    @Test
    void aQueueWithEventsIsNotMadeToGoOnFromAnother() throws Exception {
        try (JournalQueueStore queue = open()) {
            queue.record(List.of(new MailEvent.Flushed(Instant.parse("2026-12-07T12:00:00Z"), 0)));
        }
        QueueException e = assertThrows(QueueException.class, () -> JournalQueueStore.continueFeed(dir, 100));
        assertTrue(e.getMessage().contains("is not new"), e.getMessage());
    }

    private JournalQueueStore open() throws Exception {
        return JournalQueueStore.open(dir, Clock.systemUTC(), new Random(1), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }
}
