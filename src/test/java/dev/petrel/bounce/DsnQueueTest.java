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
import dev.petrel.queue.Door;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A DSN is queued like any mail, through the one door into the queue. */
class DsnQueueTest {

    /** Records what comes through the door; nothing else is needed here. */
    private static final class RecordingQueue implements Door {
        final List<StoredMessage> stored = new ArrayList<>();

        @Override
        public QueueId enqueue(Envelope envelope, byte[] head, byte[] body) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            content.writeBytes(head);
            content.writeBytes(body);
            byte[] bytes = content.toByteArray();
            QueueId id = new QueueId("BCDFGHJKLMNPQRST");
            stored.add(new StoredMessage(new QueuedMessage(id, Fixtures.NOW, envelope, bytes.length, false), bytes));
            return id;
        }
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
        queue.enqueue(env, new byte[0], Fixtures.ORIGINAL.getBytes(StandardCharsets.US_ASCII));
        OriginalMessage original = OriginalMessage.of(queue.stored.getFirst());
        assertEquals(Fixtures.NOW, original.arrival());
        assertEquals(env, original.envelope());
    }
}
