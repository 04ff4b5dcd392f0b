package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalMetersTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageIsInAGroupCommitAndItsFsyncIsTimed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JournalQueueStore queue = JournalQueueStore.open(dir, Clock.systemUTC(), new SplittableRandom(1),
                JournalQueueStore.DEFAULT_SEGMENT_SIZE, registry)) {
            for (int i = 0; i < 3; i++) {
                QueueId id = queue.newId();
                Envelope env = new Envelope(ReversePath.of(Address.of("a@example.org")),
                        List.of(Recipient.of(Address.of("b@example.org"))), Envelope.BodyType.SEVEN_BIT, false,
                        Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
                queue.enqueue(id, Clock.systemUTC().instant(), env, "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            var groups = registry.get("petrel.queue.group.commit").summary();
            // one after the other, each enqueue waits for its own commit (at least: the journal's start may add one)
            assertTrue(groups.count() >= 3, "commits: " + groups.count());
            assertTrue(groups.totalAmount() >= 3);
            long fsyncs = registry.get("petrel.queue.fsync").timer().count();
            assertTrue(fsyncs >= 3, "fsyncs: " + fsyncs);
            assertEquals(queue.commitCounts()[0], (long) groups.totalAmount(), "the same records the queue counts");
        }
    }
}
