package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.testing.HandClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The message log's reader: which events it writes, when it makes them durable, and when it forgets old ones. */
class MessageLogWriterTest {

    /** A log that remembers what it was asked to do. */
    private static final class Recorded implements MessageLog {
        final List<List<MailEvent>> written = new ArrayList<>();
        final List<Long> durable = new ArrayList<>();
        final List<Instant> forgot = new ArrayList<>();

        @Override
        public void record(List<MailEvent> events) {
            written.add(events);
        }

        @Override
        public void durable(long cursor) {
            durable.add(cursor);
        }

        @Override
        public Optional<Message> message(TenantId tenant, QueueId id) {
            return Optional.empty();
        }

        @Override
        public int forget(Instant before) {
            forgot.add(before);
            return 0;
        }
    }

    private final HandClock clock = new HandClock();
    private final Recorded log = new Recorded();
    private final MessageLogWriter writer = new MessageLogWriter(log, clock, Duration.ofDays(30));

    private static EventFeed.Entry entry(long cursor, MailEvent e) {
        return new EventFeed.Entry(cursor, e);
    }

    @Test
    void messagesQueuedForATenantAndWhatBecomesOfQueuedMessagesAreWrittenInOneWrite() throws Exception {
        QueueId id = new QueueId("BCDF00000001");
        MailEvent.Queued forAcme = new MailEvent.Queued(clock.instant(), id, "a@acme.test", 10, 1, "127.0.0.1",
                "apikey:x", Map.of(), false, new SendContext("acme", null, null, Map.of()));
        MailEvent.Queued smtp = new MailEvent.Queued(clock.instant(), id, "a@b.test", 10, 1, "127.0.0.1", null);
        MailEvent.Delivered delivered = new MailEvent.Delivered(clock.instant(), id, "b@r.test", "local",
                Duration.ZERO, "2.0.0", "250 ok");
        MailEvent.Flushed flushed = new MailEvent.Flushed(clock.instant(), 1);
        writer.handle(List.of(entry(1, forAcme), entry(2, smtp), entry(3, delivered), entry(4, flushed)));
        assertEquals(List.of(List.of(forAcme, delivered)), log.written);
        writer.durable(4);
        writer.durable(4);
        assertEquals(List.of(4L), log.durable, "made durable once, after a write");
    }

    @Test
    void oldMessagesAreForgottenEveryTenMinutesEvenWhileIdle() throws Exception {
        writer.handle(List.of());
        assertEquals(List.of(clock.instant().minus(Duration.ofDays(30))), log.forgot);
        clock.advance(Duration.ofMinutes(9));
        writer.handle(List.of());
        assertEquals(1, log.forgot.size());
        clock.advance(Duration.ofMinutes(2));
        writer.handle(List.of());
        assertEquals(clock.instant().minus(Duration.ofDays(30)), log.forgot.get(1));
        assertEquals(List.of(), log.written, "nothing to write");
    }
}
