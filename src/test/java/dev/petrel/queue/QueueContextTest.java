package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.bareEnvelope;
import static dev.petrel.queue.JournalQueueStoreTest.content;
import static dev.petrel.queue.JournalQueueStoreTest.fullEnvelope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue keeps each message's send context (tenant, stream, tag, metadata) with it, through restarts, so every
 * later event about the message carries it; a journal written before contexts were kept still opens.
 */
class QueueContextTest {

    @TempDir
    Path dir;

    private final Clock clock = JournalQueueStoreTest.tickingClock();

    private static SendContext acme() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("order", "42");
        meta.put("note", "café ✓");
        return new SendContext("acme", "receipts", "welcome", meta);
    }

    private JournalQueueStore open() throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(1), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    private QueueId enqueue(JournalQueueStore store, SendContext context, boolean held) throws IOException {
        QueueId id = store.newId();
        store.enqueue(id, clock.instant(), fullEnvelope(), context, content("X-Trace: 1\r\n"),
                content("Subject: x\r\n\r\nbody\r\n"), held, null);
        return id;
    }

    @Test
    void theContextIsKeptInMemoryAndThroughARestart() throws IOException {
        QueueId tenanted;
        QueueId plain;
        try (JournalQueueStore store = open()) {
            tenanted = enqueue(store, acme(), false);
            plain = enqueue(store, SendContext.EMPTY, true);
            assertEquals(acme(), store.find(tenanted).orElseThrow().context());
            assertEquals(acme(), store.read(tenanted).orElseThrow().message().context());
        }
        try (JournalQueueStore store = open()) {
            assertEquals(acme(), store.find(tenanted).orElseThrow().context());
            assertEquals(SendContext.EMPTY, store.find(plain).orElseThrow().context());
            assertTrue(store.find(plain).orElseThrow().held());
            assertEquals("X-Trace: 1\r\nSubject: x\r\n\r\nbody\r\n",
                    new String(store.read(tenanted).orElseThrow().content(), java.nio.charset.StandardCharsets.UTF_8),
                    "the content ends where the context begins");
        }
        assertEquals(List.of(acme(), SendContext.EMPTY),
                JournalQueueStore.snapshot(dir).stream().map(QueuedMessage::context).toList(),
                "the command line's read-only view sees it too");
    }

    @Test
    void anEmptyContextCostsNoOctetAndAnotherStartsWithItsForm() {
        ByteBuffer plain = RecordCodec.messageRecord(new QueueId("1KH8MZ77V00RD7K"), clock.instant(), bareEnvelope(),
                SendContext.EMPTY, new byte[0], content("body"), false);
        ByteBuffer tenanted = RecordCodec.messageRecord(new QueueId("1KH8MZ77V00RD7K"), clock.instant(), bareEnvelope(),
                new SendContext("a", null, null, Map.of()), new byte[0], content("body"), false);
        assertEquals(0, RecordCodec.contextTrailer(SendContext.EMPTY).length);
        byte[] trailer = RecordCodec.contextTrailer(new SendContext("a", null, null, Map.of()));
        assertEquals(RecordCodec.CONTEXT_FORMAT, trailer[0]);
        assertEquals(plain.remaining() + trailer.length, tenanted.remaining());
    }

    /**
     * A segment written by the code before this change (checked in, made by its encoder): a message with a
     * finished recipient and a Queued event that named a tenant, then a message held as it was stored.
     */
    @Test
    void aJournalWrittenBeforeContextsWereKeptOpensWithEmptyContexts() throws IOException {
        try (InputStream old = getClass().getResourceAsStream("/queue/journal-before-context/journal-00000001.log")) {
            Files.write(dir.resolve("journal-00000001.log"), old.readAllBytes());
        }
        QueueId first = new QueueId("1KH8MZ77V00RD7K");
        QueueId held = new QueueId("1KH8MZ77V01NFWM");
        try (JournalQueueStore store = open()) {
            assertEquals(List.of(first, held), store.list().stream().map(QueuedMessage::id).toList());
            QueuedMessage m = store.find(first).orElseThrow();
            assertEquals(SendContext.EMPTY, m.context());
            assertEquals(Set.of(1), m.state().finished());
            assertEquals(fullEnvelope(), m.envelope());
            assertArrayEquals(content("Received: x\r\nSubject: old\r\n\r\nwritten before the queue kept contexts\r\n"),
                    store.read(first).orElseThrow().content());
            assertTrue(store.find(held).orElseThrow().held());
            List<EventFeed.Entry> events = store.read(0, 10);
            assertEquals("acme", ((MailEvent.Queued) events.getFirst().event()).context().tenant(),
                    "the old events still read");
            // the upgraded queue goes on: new messages keep their context next to the old ones
            QueueId fresh = enqueue(store, acme(), false);
            assertTrue(store.delete(held));
            assertEquals(acme(), store.find(fresh).orElseThrow().context());
        }
        try (JournalQueueStore store = open()) {
            assertEquals(2, store.list().size());
            assertEquals(SendContext.EMPTY, store.list().getFirst().context());
            assertEquals(acme(), store.list().getLast().context());
        }
    }

}
