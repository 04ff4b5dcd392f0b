package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.bareEnvelope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.QueueId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments are removed once their messages are gone, while other sessions go on enqueueing. With segments of
 * one byte every commit starts a new segment, so any delete may free segments right next to a fresh message.
 */
class SegmentReclaimTest {

    @TempDir
    Path dir;

    @RepeatedTest(8)
    void anAcknowledgedMessageIsNeverInASegmentThatDeletesRemove() throws Exception {
        Clock clock = JournalQueueStoreTest.tickingClock();
        ConcurrentLinkedQueue<QueueId> kept = new ConcurrentLinkedQueue<>();
        try (JournalQueueStore store = JournalQueueStore.open(dir, clock, new Random(1), 1)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 15; i++) {
                            byte[] content = ("thread " + thread + " message " + i).getBytes(StandardCharsets.US_ASCII);
                            QueueId id = store.newId();
                            store.enqueue(id, clock.instant(), bareEnvelope(), content);
                            // enqueue has returned: the message is the queue's, whatever others delete meanwhile
                            assertArrayEquals(content, store.read(id).orElseThrow().content());
                            if (i == 14 && thread % 2 == 0) {
                                kept.add(id);
                            } else {
                                store.delete(id);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
            }
        }
        try (JournalQueueStore store = JournalQueueStore.open(dir, clock, new Random(2), 1)) {
            assertEquals(kept.size(), store.list().size());
            for (QueueId id : kept) {
                store.read(id).orElseThrow();
            }
        }
    }
}
