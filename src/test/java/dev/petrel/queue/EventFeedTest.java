package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.bareEnvelope;
import static dev.petrel.queue.JournalQueueStoreTest.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal as the event feed: events are written with their changes, numbered, read by cursor, kept until read. */
class EventFeedTest {

    @TempDir
    Path dir;

    private final Clock clock = JournalQueueStoreTest.tickingClock();
    private static final Instant T = Instant.parse("2026-12-07T10:00:00.123Z");
    private static final QueueId ID = new QueueId("1M1BDZPWL00RDFF");
    private long seed;

    private JournalQueueStore open(long segmentSize) throws IOException {
        return JournalQueueStore.open(dir, clock, new Random(++seed), segmentSize);
    }

    static List<MailEvent> everyKind() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("order", "42");
        meta.put("note", "café ✓");
        SendContext ctx = new SendContext("acme", "receipts", "welcome", meta);
        return List.of(
                new MailEvent.Queued(T, ID, "a@example.com", 1234, 2, "192.0.2.1", "alice@example.com",
                        Map.of("spf", "pass"), true, ctx),
                new MailEvent.Delivered(T, ID, "b@example.org", "mx[192.0.2.2]:25", Duration.ofMillis(1500), "2.0.0",
                        "250 2.0.0 Ok", ctx),
                new MailEvent.Deferred(T, ID, "c@example.org", "none", Duration.ofSeconds(3), "4.4.1",
                        "421 4.4.1 no route", BounceClass.SOFT, SendContext.EMPTY),
                new MailEvent.Bounced(T, ID, "d@example.org", "mx[192.0.2.2]:25", Duration.ZERO, "5.1.1",
                        "550 5.1.1 no such user", BounceClass.HARD, ctx),
                new MailEvent.Expired(T, ID, "e@example.org", Duration.ofDays(5), "4.4.7", ctx),
                new MailEvent.Held(T, ID, ctx), new MailEvent.Released(T, ID, SendContext.EMPTY),
                new MailEvent.Removed(T, ID, ctx),
                new MailEvent.Rejected(T, "192.0.2.9", "rcpt", null, "x@example.com", "550 5.1.1 nope"),
                new MailEvent.Flushed(T, 7),
                new MailEvent.Complained(T, ID, "f@example.org", "abuse", "SomeGenerator/1.0", ctx),
                new MailEvent.Unsubscribed(T, ID, "ann@example.com", new SendContext("acme", "news", null, Map.of())),
                new MailEvent.Suppressed(T, "f@example.org", "hard_bounce",
                        "550 5.7.1 Recipient suppressed: hard bounce on 2026-12-01", ctx),
                new MailEvent.Rejected(T, "192.0.2.9", "consent", "ann@acme.test", "g@example.org",
                        "550 5.7.1 Recipient refused: consent_expired", "consent_expired", ctx),
                new MailEvent.StreamPaused(T, "hard_bounce_rate", "31 hard bounces of 500 recipients (6.2%) in 24h,"
                        + " over 5.0%", new SendContext("acme", "news", null, Map.of())));
    }

    @Test
    void everyKindOfEventReadsBackAsItWasWritten() throws IOException {
        List<MailEvent> events = everyKind();
        byte[] bytes = EventCodec.encode(events);
        assertEquals(events, EventCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes))));
    }

    @Test
    void deferredAndBouncedEventsWrittenBeforeBounceClassesReadAsUndetermined() throws IOException {
        // the layout of DEFERRED (kind 2) and BOUNCED (kind 3) as journals written before the classifier hold them
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(2);
            legacyOutcome(out, 2, "c@example.org", "none", "4.4.1", "421 4.4.1 no route");
            legacyOutcome(out, 3, "d@example.org", "mx[192.0.2.2]:25", "5.1.1", "550 5.1.1 no such user");
        }
        List<MailEvent> read = EventCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(List.of(
                new MailEvent.Deferred(T, ID, "c@example.org", "none", Duration.ofSeconds(3), "4.4.1",
                        "421 4.4.1 no route", BounceClass.UNDETERMINED, SendContext.EMPTY),
                new MailEvent.Bounced(T, ID, "d@example.org", "mx[192.0.2.2]:25", Duration.ofSeconds(3), "5.1.1",
                        "550 5.1.1 no such user", BounceClass.UNDETERMINED, SendContext.EMPTY)), read);
    }

    private static void legacyOutcome(java.io.DataOutputStream out, int kind, String to, String relay, String dsn,
                                      String reply) throws IOException {
        out.writeByte(kind);
        out.writeLong(T.getEpochSecond());
        out.writeInt(T.getNano());
        for (String s : new String[] {ID.value(), null, null, null}) {
            legacyString(out, s);
        }
        out.writeInt(0);
        for (String s : new String[] {to, relay, dsn, reply}) {
            legacyString(out, s);
        }
        out.writeLong(Duration.ofSeconds(3).toNanos());
    }

    private static void legacyString(java.io.DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Test
    void everyBounceClassSurvivesTheJournal() throws IOException {
        List<MailEvent> events = java.util.Arrays.stream(BounceClass.values())
                .map(c -> (MailEvent) new MailEvent.Bounced(T, ID, "d@example.org", "none", Duration.ZERO, "5.0.0",
                        "550 no", c, SendContext.EMPTY)).toList();
        assertEquals(events, EventCodec.decode(new DataInputStream(new ByteArrayInputStream(EventCodec.encode(events)))));
    }

    @Test
    void aSegmentIsKeptUntilEveryRegisteredReaderHasReadItsEvents() throws IOException {
        // tiny segments: each message record starts a new one
        try (JournalQueueStore store = open(64)) {
            assertEquals(0, store.load("webhooks"));
            List<QueueId> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                QueueId id = store.newId();
                store.enqueue(id, T, bareEnvelope(), new byte[0], content("m" + i), false,
                        new MailEvent.Queued(T, id, "a@example.com", 2, 1, "local", null));
                ids.add(id);
            }
            for (QueueId id : ids) {
                store.apply(id, Change.of(new Change.Remove(true), new MailEvent.Removed(T, id)));
            }
            Path first = dir.resolve("journal-00000001.log");
            assertTrue(Files.exists(first), "no message is left, but the reader has read nothing: the segment stays");
            assertEquals(6, events(store.read(0, 100)).size());
            long before = segments();
            store.save("webhooks", 2);
            assertFalse(Files.exists(first), "its events are read: it goes");
            assertTrue(segments() > 1 && segments() < before, "the ones with unread events stay");
            store.save("webhooks", store.last());
            assertEquals(6, store.load("webhooks"), "its cursor is kept");
            assertEquals(List.of(), events(store.read(6, 100)));
        }
    }

    private long segments() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("journal-")).count();
        }
    }

    private static List<MailEvent> events(List<EventFeed.Entry> entries) {
        return entries.stream().map(EventFeed.Entry::event).toList();
    }
}
