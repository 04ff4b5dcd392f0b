package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalQueueStoreTest {

    static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123456789Z");

    /** Every reading is one millisecond after the last, so ids stay unique across reopenings. */
    static Clock tickingClock() {
        AtomicLong ticks = new AtomicLong();
        return new Clock() {
            @Override
            public Instant instant() {
                return T0.plusMillis(ticks.incrementAndGet());
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    @TempDir
    Path dir;

    private final Clock clock = tickingClock();
    private long seed;

    private JournalQueueStore open() throws IOException {
        return open(JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    private JournalQueueStore open(long segmentSize) throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(++seed), segmentSize);
    }

    /** An envelope that uses every field. */
    static Envelope fullEnvelope() {
        return new Envelope(ReversePath.of(Address.of("sender@example.com")),
                List.of(new Recipient(Address.of("a@remote.test"), EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE),
                                "rfc822;a+40remote.test"),
                        new Recipient(Address.of("\"b c\"@remote.test"), Set.of(Recipient.Notify.NEVER), null),
                        new Recipient(Address.of("jö@xn--bcher-kva.example"), EnumSet.of(Recipient.Notify.DELAY), null),
                        Recipient.of(Address.of("d@[192.0.2.9]"))),
                Envelope.BodyType.EIGHT_BIT_MIME, true, Envelope.Ret.HDRS, "envid+2B1", "alice@example.com",
                "2001:db8::1", "client.example");
    }

    /** An envelope with the null sender and nothing optional. */
    static Envelope bareEnvelope() {
        return new Envelope(ReversePath.NULL, List.of(Recipient.of(Address.of("user@localhost"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, null, null);
    }

    static byte[] content(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<QueueId> ids(List<QueuedMessage> messages) {
        return messages.stream().map(QueuedMessage::id).toList();
    }

    private QueueId enqueue(JournalQueueStore store, String body) throws IOException {
        QueueId id = store.newId();
        store.enqueue(id, clock.instant(), bareEnvelope(), content(body));
        return id;
    }

    @Test
    void aMessageEnqueuedHeldStaysHeldAcrossReopeningUntilReleased() throws IOException {
        QueueId held;
        QueueId free;
        try (JournalQueueStore store = open()) {
            held = store.newId();
            store.enqueue(held, clock.instant(), fullEnvelope(), "X-Trace: 1\r\n".getBytes(StandardCharsets.US_ASCII),
                    content("quarantined"), true);
            free = enqueue(store, "free");
            assertTrue(store.read(held).orElseThrow().message().held());
            assertFalse(store.read(free).orElseThrow().message().held());
            // one record, one fsync for the held message and one for the other
            assertArrayEquals(new long[] {2, 2}, store.commitCounts());
        }
        try (JournalQueueStore store = open()) {
            StoredMessage read = store.read(held).orElseThrow();
            assertTrue(read.message().held());
            assertEquals(fullEnvelope(), read.message().envelope());
            assertEquals("X-Trace: 1\r\n" + new String(content("quarantined"), StandardCharsets.ISO_8859_1),
                    new String(read.content(), StandardCharsets.ISO_8859_1));
            assertTrue(JournalQueueStore.snapshot(dir).getFirst().held());
            assertTrue(store.release(held));
            assertTrue(store.delete(free));
        }
        try (JournalQueueStore store = open()) {
            assertEquals(List.of(held), ids(store.list()));
            assertFalse(store.list().getFirst().held());
        }
    }

    @Test
    void readsShareAChannelPerSegmentAndADeletedSegmentKeepsNone() throws IOException {
        long before = openFiles();
        List<QueueId> ids = new java.util.ArrayList<>();
        try (JournalQueueStore store = open(1024)) {
            // small segments: about one message each
            for (int i = 0; i < 40; i++) {
                ids.add(enqueue(store, "message " + i + " " + "x".repeat(900)));
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < ids.size(); i++) {
                    assertArrayEquals(content("message " + i + " " + "x".repeat(900)),
                            store.read(ids.get(i)).orElseThrow().content());
                }
            }
            long reading = openFiles();
            assertTrue(reading - before <= 40 + 5, "one channel per segment, not per read: " + (reading - before));
            for (QueueId id : ids) {
                assertTrue(store.delete(id));
            }
            assertTrue(openFiles() - before <= 12, "the deleted segments' channels are closed: "
                    + (openFiles() - before));
            assertTrue(store.read(ids.getFirst()).isEmpty());
        }
        assertTrue(openFiles() - before <= 8, "nothing left open after close: " + (openFiles() - before));
    }

    private static long openFiles() throws IOException {
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aSecondOpenWhileTheFirstIsOpenFails() throws IOException {
        try (JournalQueueStore first = open()) {
            enqueue(first, "x");
            assertThrows(QueueLockedException.class, this::open);
            // the first is not disturbed
            enqueue(first, "y");
            assertEquals(2, first.list().size());
        }
        // once closed, the queue opens again
        try (JournalQueueStore again = open()) {
            assertEquals(2, again.list().size());
        }
    }

    @Test
    void snapshotsReadAQueueThatAnotherInstanceHolds() throws IOException {
        try (JournalQueueStore owner = open()) {
            QueueId a = enqueue(owner, "first message");
            QueueId b = enqueue(owner, "second message");
            owner.hold(b);
            List<QueuedMessage> seen = JournalQueueStore.snapshot(dir);
            assertEquals(owner.list(), seen);
            assertTrue(seen.get(1).held());
            StoredMessage read = JournalQueueStore.snapshotRead(dir, a).orElseThrow();
            assertArrayEquals(content("first message"), read.content());
            assertEquals(owner.read(a).orElseThrow().message(), read.message());
            assertTrue(JournalQueueStore.snapshotRead(dir, owner.newId()).isEmpty());
            // the owner goes on, and a later snapshot sees it
            QueueId c = enqueue(owner, "third");
            owner.delete(a);
            assertEquals(List.of(b, c), ids(JournalQueueStore.snapshot(dir)));
        }
    }

    @Test
    void aDeliveredMessagesRemovalIsWrittenBeforeAnyLaterRecordWithoutAnFsyncOfItsOwn() throws IOException {
        QueueId a;
        QueueId b;
        QueueId c;
        try (JournalQueueStore store = open()) {
            a = enqueue(store, "a");
            b = enqueue(store, "b");
            assertTrue(store.deleteDelivered(a));
            // a record that is waited for comes after the removal in the journal, so once it is on disk (enqueue
            // returned), another reader of the files sees the removal too (QueueStoreContract: gone at once)
            c = enqueue(store, "c");
            assertEquals(List.of(b, c), ids(JournalQueueStore.snapshot(dir)));
            long[] counts = store.commitCounts();
            assertEquals(4, counts[0], "records written: three messages and one removal");
            assertTrue(counts[1] <= 3, "the removal asked for no fsync of its own: " + counts[1] + " fsyncs");
        }
        try (JournalQueueStore store = open()) {
            assertEquals(List.of(b, c), ids(store.list()));
        }
    }

    @Test
    void removalsSpanningSegmentsFreeTheOldOnes() throws IOException {
        List<QueueId> ids = new ArrayList<>();
        try (JournalQueueStore store = open(256)) {
            for (int i = 0; i < 20; i++) {
                ids.add(enqueue(store, "message " + i + " " + "x".repeat(100)));
            }
            for (QueueId id : ids.subList(0, 19)) {
                assertTrue(store.deleteDelivered(id));
            }
        }
        try (JournalQueueStore store = open(256)) {
            assertEquals(List.of(ids.get(19)), ids(store.list()));
        }
        // the segments before the one that holds the last message are gone; it and the later ones, which hold
        // the removals, stay while it lives
        assertFalse(Files.exists(JournalScanner.segmentPath(dir, 1)), "the first segment was deleted");
        try (var files = Files.list(dir)) {
            long segments = files.filter(f -> f.getFileName().toString().startsWith(JournalScanner.SEGMENT_PREFIX)).count();
            assertTrue(segments < 10, "old segments were deleted: " + segments + " left");
        }
    }

    @Test
    void aSnapshotOfAQueueThatWasNeverOpenedIsEmpty() throws IOException {
        assertEquals(List.of(), JournalQueueStore.snapshot(dir.resolve("nothing-here")));
    }
}
