package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.bareEnvelope;
import static dev.petrel.queue.JournalQueueStoreTest.content;
import static dev.petrel.queue.JournalQueueStoreTest.fullEnvelope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.QueueId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a crash or a damaged disk leaves in the journal, and how the store recovers; segments and group commit. */
class JournalRecoveryTest {

    @TempDir
    Path dir;

    private final Clock clock = JournalQueueStoreTest.tickingClock();
    private long seed = 100;

    private JournalQueueStore open(long segmentSize) throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(++seed), segmentSize);
    }

    private JournalQueueStore open() throws IOException {
        return open(JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    private static String body(int n) {
        return "Subject: message " + n + "\r\n\r\n" + "line of message " + n + "\r\n".repeat(3);
    }

    private QueueId enqueue(JournalQueueStore store, String body) throws IOException {
        QueueId id = store.newId();
        store.enqueue(id, clock.instant(), fullEnvelope(), content(body));
        return id;
    }

    private Path segment(long number) {
        return dir.resolve(String.format("journal-%08d.log", number));
    }

    private List<String> segmentNames() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("journal-")).sorted().toList();
        }
    }

    private static List<QueueId> ids(List<QueuedMessage> messages) {
        return messages.stream().map(QueuedMessage::id).toList();
    }

    /** Three messages in one segment; returns their ids and where the third record starts and ends. */
    private record Three(List<QueueId> ids, long thirdStart, long end) {}

    private Three writeThree() throws IOException {
        List<QueueId> ids = new ArrayList<>();
        long thirdStart;
        try (JournalQueueStore store = open()) {
            ids.add(enqueue(store, body(1)));
            ids.add(enqueue(store, body(2)));
            // enqueue returns once the record is on disk, so the file's size is where the next one starts
            thirdStart = Files.size(segment(1));
            ids.add(enqueue(store, body(3)));
        }
        return new Three(ids, thirdStart, Files.size(segment(1)));
    }

    /** The ways a crash or the disk can spoil the end of the journal. */
    enum Damage {
        TORN_IN_HEADER, TORN_IN_PAYLOAD, TORN_BEFORE_LAST_BYTE, SHORT_GARBAGE_APPENDED, LONG_GARBAGE_APPENDED,
        ZEROS_APPENDED, BYTE_FLIPPED_IN_PAYLOAD, BYTE_FLIPPED_IN_LENGTH
    }

    /** Whether the third message survives the damage: only garbage after it leaves it whole. */
    private static boolean thirdSurvives(Damage damage) {
        return damage == Damage.SHORT_GARBAGE_APPENDED || damage == Damage.LONG_GARBAGE_APPENDED
                || damage == Damage.ZEROS_APPENDED;
    }

    private void damage(Damage damage, Three three) throws IOException {
        Path file = segment(1);
        long payload = three.thirdStart() + 13;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            switch (damage) {
                case TORN_IN_HEADER -> ch.truncate(three.thirdStart() + 6);
                case TORN_IN_PAYLOAD -> ch.truncate(payload + (three.end() - payload) / 2);
                case TORN_BEFORE_LAST_BYTE -> ch.truncate(three.end() - 1);
                case SHORT_GARBAGE_APPENDED -> ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), three.end());
                case LONG_GARBAGE_APPENDED -> {
                    byte[] garbage = new byte[300];
                    new Random(9).nextBytes(garbage);
                    ch.write(ByteBuffer.wrap(garbage), three.end());
                }
                case ZEROS_APPENDED -> ch.write(ByteBuffer.allocate(4096), three.end());
                case BYTE_FLIPPED_IN_PAYLOAD -> flip(ch, payload + (three.end() - payload) / 2);
                case BYTE_FLIPPED_IN_LENGTH -> flip(ch, three.thirdStart() + 7);
            }
        }
    }

    private static void flip(FileChannel ch, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, position);
        one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
        ch.write(one, position);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Damage.class)
    void aDamagedTailLosesOnlyTheDamagedRecordAndWritingGoesOn(Damage damage) throws IOException {
        Three three = writeThree();
        damage(damage, three);
        List<QueueId> survivors = thirdSurvives(damage) ? three.ids() : three.ids().subList(0, 2);

        QueueId fourth;
        try (JournalQueueStore store = open()) {
            assertEquals(survivors, ids(store.list()));
            // the journal was cut where the good records end
            assertEquals(thirdSurvives(damage) ? three.end() : three.thirdStart(), Files.size(segment(1)));
            assertArrayEquals(content(body(1)), store.read(three.ids().get(0)).orElseThrow().content());
            assertArrayEquals(content(body(2)), store.read(three.ids().get(1)).orElseThrow().content());
            fourth = enqueue(store, body(4));
            assertTrue(store.hold(three.ids().get(0)));
        }
        // what was written after the recovery survives another reopening
        try (JournalQueueStore store = open()) {
            List<QueueId> expected = new ArrayList<>(survivors);
            expected.add(fourth);
            assertEquals(expected, ids(store.list()));
            assertArrayEquals(content(body(4)), store.read(fourth).orElseThrow().content());
            assertTrue(store.read(three.ids().get(0)).orElseThrow().message().held());
        }
    }

    @Test
    void aSnapshotOfADamagedJournalShowsWhatRecoveryWouldKeep() throws IOException {
        Three three = writeThree();
        damage(Damage.TORN_IN_PAYLOAD, three);
        assertEquals(three.ids().subList(0, 2), ids(JournalQueueStore.snapshot(dir)));
        // a snapshot changes nothing on disk
        assertEquals(three.thirdStart() + 13 + (three.end() - three.thirdStart() - 13) / 2, Files.size(segment(1)));
    }

    @Test
    void smallSegmentsRotateAndTheOldestGoOnceTheirMessagesAreDeleted() throws IOException {
        List<QueueId> ids = new ArrayList<>();
        byte[] kilobyte = new byte[1000];
        try (JournalQueueStore store = open(4096)) {
            for (int i = 0; i < 20; i++) {
                QueueId id = store.newId();
                store.enqueue(id, clock.instant(), bareEnvelope(), kilobyte);
                ids.add(id);
            }
            List<String> before = segmentNames();
            assertTrue(before.size() >= 4, before::toString);
            assertEquals("journal-00000001.log", before.getFirst());

            // deleting the newest messages frees nothing while older segments hold live ones
            for (QueueId id : ids.subList(15, 20)) {
                store.delete(id);
            }
            assertTrue(segmentNames().containsAll(before));

            // deleting the oldest messages removes the oldest segments
            for (QueueId id : ids.subList(0, 8)) {
                store.delete(id);
            }
            List<String> after = segmentNames();
            assertTrue(!after.contains("journal-00000001.log"), after::toString);
            assertTrue(after.size() < before.size() + 2, after::toString);
            for (QueueId id : ids.subList(8, 15)) {
                assertArrayEquals(kilobyte, store.read(id).orElseThrow().content());
            }
        }
        try (JournalQueueStore store = open(4096)) {
            assertEquals(ids.subList(8, 15), ids(store.list()));
            for (QueueId id : ids.subList(8, 15)) {
                assertArrayEquals(kilobyte, store.read(id).orElseThrow().content());
                store.delete(id);
            }
            // with every message gone, only the segment being written remains
            assertEquals(1, segmentNames().size(), segmentNames()::toString);
        }
        try (JournalQueueStore store = open(4096)) {
            assertEquals(List.of(), store.list());
            QueueId id = store.newId();
            store.enqueue(id, clock.instant(), bareEnvelope(), kilobyte);
        }
        try (JournalQueueStore store = open(4096)) {
            assertEquals(1, store.list().size());
        }
    }

    @Test
    void concurrentEnqueuesAllLandAndShareFsyncs() throws Exception {
        int threads = 32;
        int each = 8;
        List<QueueId> all = new ArrayList<>();
        long[] counts;
        try (JournalQueueStore store = open()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<QueueId>>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<QueueId> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            QueueId id = store.newId();
                            store.enqueue(id, clock.instant(), bareEnvelope(), content("thread " + thread + " message " + i));
                            mine.add(id);
                        }
                        return mine;
                    }));
                }
                start.countDown();
                for (Future<List<QueueId>> f : results) {
                    all.addAll(f.get());
                }
            }
            assertEquals(threads * each, store.list().size());
            counts = store.commitCounts();
        }
        assertEquals(threads * each, counts[0], "records written");
        assertTrue(counts[1] < counts[0], "fsyncs " + counts[1] + " for " + counts[0] + " records: no grouping");
        try (JournalQueueStore store = open()) {
            assertEquals(threads * each, store.list().size());
            for (QueueId id : all) {
                assertTrue(new String(store.read(id).orElseThrow().content()).matches("thread \\d+ message \\d"));
            }
        }
    }
}
