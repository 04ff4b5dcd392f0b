package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.bareEnvelope;
import static dev.petrel.queue.JournalQueueStoreTest.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.QueueId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails part way (a full disk) or an fsync that fails must leave the journal at its last good end:
 * whatever is acknowledged afterwards is found again after a restart. Found from outside: after a full disk, the
 * next acknowledged message was lost at the next start, because it followed the torn record.
 */
class FullDiskTest {

    @TempDir
    Path root;

    private final Clock clock = JournalQueueStoreTest.tickingClock();
    private long seed;

    private JournalQueueStore open(Path dir, FullDisk disk) throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(++seed), JournalQueueStore.DEFAULT_SEGMENT_SIZE, disk);
    }

    private QueueId enqueue(JournalQueueStore store, String body) throws IOException {
        QueueId id = store.newId();
        store.enqueue(id, clock.instant(), bareEnvelope(), content(body));
        return id;
    }

    private static final String BODY = "Subject: full disk\r\n\r\n" + "x".repeat(120) + "\r\n";

    /** The size of one message record as the journal writes it (after the segment's first record). */
    private int recordSize() throws IOException {
        Path dir = root.resolve("measure");
        long empty;
        try (JournalQueueStore store = open(dir, new FullDisk())) {
            empty = Files.size(dir.resolve("journal-00000001.log"));
            enqueue(store, BODY);
        }
        return (int) (Files.size(dir.resolve("journal-00000001.log")) - empty);
    }

    @Test
    void aWriteThatFailsAtAnyPointOfARecordLosesNothingAcknowledgedAfterIt() throws IOException {
        int size = recordSize();
        assertTrue(size > RecordCodec.HEADER);
        for (int fits = 0; fits < size; fits++) {
            Path dir = root.resolve("at-" + fits);
            FullDisk disk = new FullDisk();
            QueueId before;
            QueueId after;
            try (JournalQueueStore store = open(dir, disk)) {
                before = enqueue(store, BODY);
                disk.leave(fits);
                int at = fits;
                assertThrows(IOException.class, () -> enqueue(store, BODY), () -> "with " + at + " bytes of room");
                disk.free();
                after = enqueue(store, BODY);
                assertEquals(List.of(before, after), ids(store));
            }
            try (JournalQueueStore reopened = open(dir, new FullDisk())) {
                assertEquals(List.of(before, after), ids(reopened), "after a restart, " + fits + " bytes of room");
                assertArrayEquals(content(BODY), reopened.read(after).orElseThrow().content());
            }
        }
    }

    @Test
    void aFailedStateChangeIsNotAppliedAndLaterOnesSurvive() throws IOException {
        Path dir = root.resolve("state");
        FullDisk disk = new FullDisk();
        QueueId a;
        QueueId b;
        try (JournalQueueStore store = open(dir, disk)) {
            a = enqueue(store, BODY);
            b = enqueue(store, BODY);
            disk.leave(5);
            assertThrows(IOException.class, () -> store.finish(a, Set.of(0)));
            assertEquals(Set.of(), store.list().getFirst().state().finished(), "not applied in memory either");
            disk.free();
            assertTrue(store.hold(b));
        }
        try (JournalQueueStore reopened = open(dir, new FullDisk())) {
            assertEquals(List.of(a, b), ids(reopened));
            assertTrue(reopened.list().get(1).held());
            assertEquals(Set.of(), reopened.list().getFirst().state().finished());
        }
    }

    @Test
    void afterAFailedFsyncTheSegmentIsCutBackToWhatWasLastSynced() throws IOException {
        Path dir = root.resolve("fsync");
        FullDisk disk = new FullDisk();
        QueueId kept;
        QueueId delivered;
        QueueId later;
        try (JournalQueueStore store = open(dir, disk)) {
            kept = enqueue(store, BODY);
            delivered = enqueue(store, BODY);
            // written without an fsync of its own; the failed fsync below may have lost it
            store.finish(delivered, Set.of(0));
            disk.failFsync();
            assertThrows(IOException.class, () -> enqueue(store, BODY));
            disk.free();
            later = enqueue(store, BODY);
        }
        try (JournalQueueStore reopened = open(dir, new FullDisk())) {
            assertEquals(List.of(kept, delivered, later), ids(reopened));
        }
    }

    @Test
    void aDeliveredMessageWhoseRemovalWasCutOffComesBackRatherThanAnythingBeingLost() throws IOException {
        Path dir = root.resolve("unforced");
        FullDisk disk = new FullDisk();
        QueueId delivered;
        QueueId later;
        try (JournalQueueStore store = open(dir, disk)) {
            delivered = enqueue(store, BODY);
            store.deleteDelivered(delivered);
            disk.failFsync();
            assertThrows(IOException.class, () -> enqueue(store, BODY));
            disk.free();
            later = enqueue(store, BODY);
        }
        try (JournalQueueStore reopened = open(dir, new FullDisk())) {
            // at least once: the removal never reached the disk, so the message is delivered again
            assertEquals(List.of(delivered, later), ids(reopened));
        }
    }

    private static List<QueueId> ids(JournalQueueStore store) {
        return store.list().stream().map(QueuedMessage::id).toList();
    }
}
