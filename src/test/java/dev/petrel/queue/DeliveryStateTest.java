package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery progress recorded in place: finished recipients and the retry schedule survive a restart. */
class DeliveryStateTest {

    @TempDir
    Path dir;

    private final Clock clock = JournalQueueStoreTest.tickingClock();

    private JournalQueueStore open() throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(7), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    private static Envelope threeRecipients() {
        return new Envelope(ReversePath.of(Address.of("sender@example.org")),
                List.of(Recipient.of(Address.of("a@one.test")), Recipient.of(Address.of("b@two.test")),
                        Recipient.of(Address.of("c@one.test"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.1", "client.test");
    }

    private QueueId enqueue(JournalQueueStore queue, Instant arrival) throws IOException {
        QueueId id = queue.newId();
        queue.enqueue(id, arrival, threeRecipients(), "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        return id;
    }

    @Test
    void aNewMessageIsDueAtArrivalWithEveryRecipientPending() throws IOException {
        Instant arrival = Instant.parse("2026-11-28T10:00:00Z");
        try (JournalQueueStore queue = open()) {
            QueueId id = enqueue(queue, arrival);
            QueuedMessage m = queue.list().getFirst();
            assertEquals(id, m.id());
            assertEquals(arrival, m.state().nextAttempt());
            assertEquals(0, m.state().attempts());
            assertNull(m.state().lastError());
            assertEquals(List.of(0, 1, 2), m.pending().stream().map(QueuedMessage.Pending::index).toList());
            assertFalse(m.complete());
        }
    }

    @Test
    void finishedRecipientsAndTheScheduleSurviveAReopen() throws IOException {
        Instant next = Instant.parse("2026-11-28T10:05:00Z");
        QueueId id;
        try (JournalQueueStore queue = open()) {
            id = enqueue(queue, Instant.parse("2026-11-28T10:00:00Z"));
            assertTrue(queue.finish(id, Set.of(0, 2)));
            assertTrue(queue.schedule(id, next, 1, "451 4.3.0 try later"));
        }
        try (JournalQueueStore queue = open()) {
            QueuedMessage m = queue.list().getFirst();
            assertEquals(Set.of(0, 2), m.state().finished());
            assertEquals(List.of("b@two.test"),
                    m.pending().stream().map(p -> p.recipient().address().toString()).toList());
            assertEquals(next, m.state().nextAttempt());
            assertEquals(1, m.state().attempts());
            assertEquals("451 4.3.0 try later", m.state().lastError());
            // the state comes with the content, too
            StoredMessage stored = queue.read(id).orElseThrow();
            assertEquals(Set.of(0, 2), stored.message().state().finished());
            assertArrayEquals("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), stored.content());
        }
        // and so does the read-only view the command line uses
        assertEquals(next, JournalQueueStore.snapshot(dir).getFirst().state().nextAttempt());
    }

    @Test
    void finishingTheLastRecipientCompletesTheMessage() throws IOException {
        try (JournalQueueStore queue = open()) {
            QueueId id = enqueue(queue, Instant.parse("2026-11-28T10:00:00Z"));
            queue.finish(id, Set.of(1));
            assertFalse(queue.list().getFirst().complete());
            queue.finish(id, Set.of(0, 2));
            assertTrue(queue.list().getFirst().complete());
        }
    }

    @Test
    void changesToAMessageThatIsGoneAreRefusedWithoutWriting() throws IOException {
        try (JournalQueueStore queue = open()) {
            QueueId id = enqueue(queue, Instant.parse("2026-11-28T10:00:00Z"));
            queue.delete(id);
            long records = queue.commitCounts()[0];
            assertFalse(queue.finish(id, Set.of(0)));
            assertFalse(queue.schedule(id, Instant.EPOCH, 1, "x"));
            assertEquals(records, queue.commitCounts()[0], "nothing was written for a missing message");
        }
    }

    @Test
    void aTornScheduleRecordLeavesTheLastCompleteState() throws IOException {
        Instant first = Instant.parse("2026-11-28T10:05:00Z");
        try (JournalQueueStore queue = open()) {
            QueueId id = enqueue(queue, Instant.parse("2026-11-28T10:00:00Z"));
            queue.schedule(id, first, 1, "first");
            queue.schedule(id, Instant.parse("2026-11-28T10:20:00Z"), 2, "second");
        }
        // a crash in the middle of writing the last record: cut its final bytes
        Path segment = JournalScanner.segmentPath(dir, 1);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        try (JournalQueueStore queue = open()) {
            QueuedMessage m = queue.list().getFirst();
            assertEquals(first, m.state().nextAttempt());
            assertEquals(1, m.state().attempts());
            assertEquals("first", m.state().lastError());
        }
    }
}
