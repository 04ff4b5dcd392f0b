package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.content;
import static dev.petrel.queue.JournalQueueStoreTest.fullEnvelope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8689 4.1: a message received with REQUIRETLS stays tagged while it waits in the queue, through restarts; a
 * journal written before the tag was kept still opens, its messages untagged.
 */
class RequireTlsQueueTest {

    @TempDir
    Path dir;

    private final Clock clock = JournalQueueStoreTest.tickingClock();

    private JournalQueueStore open() throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(1), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
    }

    private QueueId enqueue(JournalQueueStore store, Envelope envelope) throws IOException {
        QueueId id = store.newId();
        store.enqueue(id, clock.instant(), envelope, SendContext.EMPTY, content("X-Trace: 1\r\n"),
                content("Subject: x\r\n\r\nbody\r\n"), false, null);
        return id;
    }

    @Test
    void theRequireTlsTagSurvivesARestartBesideTheBodyType() throws IOException {
        QueueId tagged;
        QueueId plain;
        try (JournalQueueStore store = open()) {
            tagged = enqueue(store, fullEnvelope().withRequireTls(true));
            plain = enqueue(store, fullEnvelope());
            assertTrue(store.find(tagged).orElseThrow().envelope().requireTls());
        }
        try (JournalQueueStore store = open()) {
            Envelope read = store.find(tagged).orElseThrow().envelope();
            assertTrue(read.requireTls(), "the tag is read back from the journal");
            assertEquals(fullEnvelope().withRequireTls(true), read, "and every other field with it");
            assertEquals(Envelope.BodyType.EIGHT_BIT_MIME, read.bodyType());
            assertTrue(store.read(tagged).orElseThrow().message().envelope().requireTls());
            assertFalse(store.find(plain).orElseThrow().envelope().requireTls());
        }
        assertEquals(1, JournalQueueStore.snapshot(dir).stream().filter(m -> m.envelope().requireTls()).count(),
                "the command line's read-only view sees it too");
    }

    /** The segment QueueContextTest reads, checked in before this change: its messages carry no tag. */
    @Test
    void aJournalWrittenBeforeTheTagWasKeptReadsUntagged() throws IOException {
        try (InputStream old = getClass().getResourceAsStream("/queue/journal-before-context/journal-00000001.log")) {
            Files.write(dir.resolve("journal-00000001.log"), old.readAllBytes());
        }
        try (JournalQueueStore store = open()) {
            assertEquals(2, store.list().size());
            for (QueuedMessage m : store.list()) {
                assertFalse(m.envelope().requireTls(), m.id()::toString);
            }
            assertEquals(fullEnvelope(), store.list().getFirst().envelope(), "its BODY octet reads as before");
            // the upgraded journal takes tagged messages next to the old ones
            QueueId fresh = enqueue(store, fullEnvelope().withRequireTls(true));
            assertTrue(store.find(fresh).orElseThrow().envelope().requireTls());
        }
        try (JournalQueueStore store = open()) {
            assertEquals(1, store.list().stream().filter(m -> m.envelope().requireTls()).count());
        }
    }
}
