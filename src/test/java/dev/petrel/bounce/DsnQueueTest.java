package dev.petrel.bounce;

import static dev.petrel.bounce.Fixtures.builder;
import static dev.petrel.bounce.Fixtures.envelope;
import static dev.petrel.bounce.Fixtures.failed;
import static dev.petrel.bounce.Fixtures.message;
import static dev.petrel.bounce.Fixtures.rcpt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.Envelope.Ret;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A DSN is queued like any mail, through the queue's interface alone. */
class DsnQueueTest {

    /** Records what is enqueued; nothing else is needed here. */
    private static final class RecordingQueue implements QueueStore {
        final List<StoredMessage> stored = new ArrayList<>();

        @Override
        public QueueId newId() {
            return new QueueId("BCDFGHJKLMNPQRST");
        }

        @Override
        public void enqueue(QueueId id, Instant arrival, Envelope envelope, byte[] head, byte[] body, boolean held) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            content.writeBytes(head);
            content.writeBytes(body);
            byte[] bytes = content.toByteArray();
            stored.add(new StoredMessage(new QueuedMessage(id, arrival, envelope, bytes.length, false), bytes));
        }

        @Override
        public List<QueuedMessage> list() {
            return stored.stream().map(StoredMessage::message).toList();
        }

        @Override
        public Optional<StoredMessage> read(QueueId id) {
            return stored.stream().filter(s -> s.message().id().equals(id)).findFirst();
        }

        @Override
        public boolean finish(QueueId id, java.util.Set<Integer> recipients) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean schedule(QueueId id, Instant nextAttempt, int attempts, String lastError) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean noteDelayNotice(QueueId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(QueueId id) {
            return false;
        }

        @Override
        public boolean hold(QueueId id) {
            return false;
        }

        @Override
        public boolean release(QueueId id) {
            return false;
        }

        @Override
        public void close() {}
    }

    @Test
    void aFailureIsQueuedFromTheNullPathNow() throws Exception {
        RecordingQueue queue = new RecordingQueue();
        Recipient bob = rcpt("bob@example.org");
        OriginalMessage original = message(envelope("alice@sender.test", Ret.NONE, null, bob));
        Optional<QueueId> id = builder().enqueue(queue, original, List.of(failed(bob)));
        assertEquals(Optional.of(new QueueId("BCDFGHJKLMNPQRST")), id);
        StoredMessage stored = queue.stored.getFirst();
        assertEquals(Fixtures.NOW, stored.message().arrival());
        assertEquals(ReversePath.NULL, stored.message().envelope().reversePath());
        assertArrayEquals(builder().build(original, List.of(failed(bob))).orElseThrow().content(), stored.content());
    }

    @Test
    void nothingIsQueuedForABounce() throws Exception {
        RecordingQueue queue = new RecordingQueue();
        Recipient bob = rcpt("bob@example.org");
        Optional<QueueId> id = builder().enqueue(queue, message(envelope(null, Ret.NONE, null, bob)), List.of(failed(bob)));
        assertEquals(Optional.empty(), id);
        assertTrue(queue.stored.isEmpty());
    }

    @Test
    void theQueuedMessageReadsBackAsTheOriginalThatABounceOfItWouldReport() throws Exception {
        // a StoredMessage from the queue is all OriginalMessage needs
        RecordingQueue queue = new RecordingQueue();
        Recipient bob = rcpt("bob@example.org");
        Envelope env = envelope("alice@sender.test", Ret.NONE, null, bob);
        queue.enqueue(new QueueId("0123456789BCDFGH"), Fixtures.ARRIVAL, env, new byte[0],
                Fixtures.ORIGINAL.getBytes(StandardCharsets.US_ASCII));
        OriginalMessage original = OriginalMessage.of(queue.stored.getFirst());
        assertEquals(Fixtures.ARRIVAL, original.arrival());
        assertEquals(env, original.envelope());
    }
}
