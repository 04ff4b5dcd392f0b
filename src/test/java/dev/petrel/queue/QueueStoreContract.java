package dev.petrel.queue;

import static dev.petrel.queue.JournalQueueStoreTest.bareEnvelope;
import static dev.petrel.queue.JournalQueueStoreTest.content;
import static dev.petrel.queue.JournalQueueStoreTest.fullEnvelope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QueueStore} does, whatever keeps it (the journal, PostgreSQL): messages kept exactly and in
 * order through a reopening, changes of state and their events written together, the event feed read by cursor,
 * readers' cursors kept. A subclass opens the same queue again each time {@link #open} is called.
 */
public abstract class QueueStoreContract {

    protected final Clock clock = JournalQueueStoreTest.tickingClock();
    private static final Instant T0 = JournalQueueStoreTest.T0;

    /** The queue under test, opened (again) on the given clock; the caller closes it. */
    protected abstract QueueStore open(Clock clock) throws IOException;

    /** An envelope with the null sender and one recipient, for a subclass's own tests. */
    protected static Envelope envelope() {
        return bareEnvelope();
    }

    private QueueStore open() throws IOException {
        return open(clock);
    }

    private QueueId enqueue(QueueStore store, String body) throws IOException {
        QueueId id = store.newId();
        store.enqueue(id, clock.instant(), bareEnvelope(), content(body));
        return id;
    }

    private static List<QueueId> ids(List<QueuedMessage> messages) {
        return messages.stream().map(QueuedMessage::id).toList();
    }

    private static List<MailEvent> events(List<EventFeed.Entry> entries) {
        return entries.stream().map(EventFeed.Entry::event).toList();
    }

    static SendContext acme() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("order", "42");
        meta.put("note", "café ✓");
        return new SendContext("acme", "receipts", "welcome", meta);
    }

    @Test
    void aMessageReadAfterReopeningIsExactlyWhatWasEnqueued() throws IOException {
        byte[] full = new byte[3000];
        new Random(1).nextBytes(full);
        QueueId first;
        QueueId second;
        Instant arrival = Instant.parse("2026-11-28T10:00:00.987654321Z");
        try (QueueStore store = open()) {
            first = store.newId();
            store.enqueue(first, arrival, fullEnvelope(), full);
            second = store.newId();
            store.enqueue(second, arrival.plusSeconds(1), bareEnvelope(), content("Received: from x\r\n"),
                    content("Subject: x\r\n\r\nbody\r\n"));
        }
        try (QueueStore store = open()) {
            StoredMessage one = store.read(first).orElseThrow();
            assertEquals(fullEnvelope(), one.message().envelope());
            assertEquals(arrival, one.message().arrival(), "to the nanosecond");
            assertEquals(first, one.message().id());
            assertEquals(full.length, one.message().size());
            assertFalse(one.message().held());
            assertArrayEquals(full, one.content());
            StoredMessage two = store.read(second).orElseThrow();
            assertEquals(bareEnvelope(), two.message().envelope());
            assertArrayEquals(content("Received: from x\r\nSubject: x\r\n\r\nbody\r\n"), two.content(),
                    "the head and the body are one content");
            assertEquals(two.content().length, two.message().size());
            assertEquals(List.of(first, second), ids(store.list()));
            assertEquals(one.message(), store.find(first).orElseThrow());
        }
    }

    @Test
    void aMessageSentWithRequireTlsStaysTaggedThroughAReopening() throws IOException {
        Envelope full = fullEnvelope();
        Envelope tagged = new Envelope(full.reversePath(), full.recipients(), full.bodyType(), full.smtpUtf8(),
                full.ret(), full.envid(), full.authenticatedUser(), full.clientAddress(), full.clientHelo(), true);
        QueueId id;
        try (QueueStore store = open()) {
            id = store.newId();
            store.enqueue(id, clock.instant(), tagged, content("x"));
        }
        try (QueueStore store = open()) {
            assertEquals(tagged, store.find(id).orElseThrow().envelope());
            assertTrue(store.read(id).orElseThrow().message().envelope().requireTls());
        }
    }

    @Test
    void anEmptyMessageIsStoredToo() throws IOException {
        QueueId id;
        try (QueueStore store = open()) {
            id = enqueue(store, "");
        }
        try (QueueStore store = open()) {
            assertArrayEquals(new byte[0], store.read(id).orElseThrow().content());
        }
    }

    @Test
    void listIsOldestFirstByArrivalThenId() throws IOException {
        List<QueueId> expected;
        try (QueueStore store = open()) {
            QueueId late = store.newId();
            QueueId early = store.newId();
            QueueId sameTimeA = store.newId();
            QueueId sameTimeB = store.newId();
            store.enqueue(late, T0.plusSeconds(60), bareEnvelope(), content("late"));
            store.enqueue(early, T0, bareEnvelope(), content("early"));
            store.enqueue(sameTimeB, T0.plusSeconds(30), bareEnvelope(), content("b"));
            store.enqueue(sameTimeA, T0.plusSeconds(30), bareEnvelope(), content("a"));
            expected = List.of(early, sameTimeA, sameTimeB, late);
            assertEquals(expected, ids(store.list()));
        }
        try (QueueStore again = open()) {
            assertEquals(expected, ids(again.list()));
        }
    }

    @Test
    void newIdsAreUniqueAndIncreasingEvenWithAStoppedClock() throws IOException {
        try (QueueStore store = open(Clock.fixed(T0, ZoneOffset.UTC))) {
            QueueId previous = store.newId();
            for (int i = 0; i < 1000; i++) {
                QueueId next = store.newId();
                assertTrue(previous.compareTo(next) < 0, previous + " then " + next);
                previous = next;
            }
        }
    }

    @Test
    void holdReleaseAndDeleteSurviveReopening() throws IOException {
        QueueId a;
        QueueId b;
        QueueId c;
        try (QueueStore store = open()) {
            a = enqueue(store, "a");
            b = enqueue(store, "b");
            c = enqueue(store, "c");
            assertTrue(store.hold(a));
            assertTrue(store.hold(b));
            assertTrue(store.release(b));
            assertTrue(store.delete(c));
            assertTrue(store.list().getFirst().held());
            assertFalse(store.read(b).orElseThrow().message().held());
            assertTrue(store.read(c).isEmpty());
        }
        try (QueueStore store = open()) {
            assertEquals(List.of(a, b), ids(store.list()));
            assertTrue(store.read(a).orElseThrow().message().held());
            assertFalse(store.find(b).orElseThrow().held());
            assertArrayEquals(content("a"), store.read(a).orElseThrow().content());
            assertTrue(store.release(a));
        }
        try (QueueStore store = open()) {
            assertFalse(store.read(a).orElseThrow().message().held());
        }
    }

    @Test
    void aMessageEnqueuedHeldStaysHeldAcrossReopeningUntilReleased() throws IOException {
        QueueId held;
        try (QueueStore store = open()) {
            held = store.newId();
            store.enqueue(held, clock.instant(), fullEnvelope(), content("X-Trace: 1\r\n"), content("quarantined"),
                    true);
            enqueue(store, "free");
        }
        try (QueueStore store = open()) {
            StoredMessage read = store.read(held).orElseThrow();
            assertTrue(read.message().held());
            assertEquals("X-Trace: 1\r\nquarantined", new String(read.content(), StandardCharsets.ISO_8859_1));
            assertTrue(store.release(held));
        }
        try (QueueStore store = open()) {
            assertFalse(store.find(held).orElseThrow().held());
        }
    }

    @Test
    void theDeliveryStateIsKeptThroughReopening() throws IOException {
        QueueId id;
        Instant next = Instant.parse("2026-11-28T11:00:00.000000007Z");
        try (QueueStore store = open()) {
            id = store.newId();
            store.enqueue(id, clock.instant(), fullEnvelope(), content("x"));
            assertTrue(store.finish(id, Set.of(0, 2)));
            assertTrue(store.schedule(id, next, 3, "451 4.3.0 try later"));
            assertTrue(store.noteDelayNotice(id));
        }
        try (QueueStore store = open()) {
            QueuedMessage m = store.find(id).orElseThrow();
            assertEquals(new DeliveryState(Set.of(0, 2), next, 3, "451 4.3.0 try later", true), m.state());
            assertEquals(List.of(1, 3), m.pending().stream().map(QueuedMessage.Pending::index).toList());
            assertTrue(store.finish(id, Set.of(1, 3)));
            assertTrue(store.find(id).orElseThrow().complete());
        }
    }

    @Test
    void changingAnUnknownMessageSaysFalse() throws IOException {
        try (QueueStore store = open()) {
            QueueId ghost = store.newId();
            assertFalse(store.hold(ghost));
            assertFalse(store.release(ghost));
            assertFalse(store.delete(ghost));
            assertFalse(store.apply(ghost, Change.of(new Change.Hold(),
                    new MailEvent.Held(T0, ghost, SendContext.EMPTY))));
            assertTrue(store.read(ghost).isEmpty());
            assertTrue(store.find(ghost).isEmpty());
            QueueId once = enqueue(store, "x");
            assertTrue(store.delete(once));
            assertFalse(store.delete(once));
            assertFalse(store.hold(once));
            assertEquals(List.of(), events(store.read(0, 10)), "no event for a change of nothing");
        }
    }

    @Test
    void enqueueAfterCloseFails() throws IOException {
        QueueStore store = open();
        QueueId id = store.newId();
        store.close();
        assertThrows(IOException.class, () -> store.enqueue(id, T0, bareEnvelope(), content("late")));
    }

    @Test
    void aDeliveredMessageIsGoneAtOnceAndStaysGone() throws IOException {
        QueueId a;
        QueueId b;
        try (QueueStore store = open()) {
            a = enqueue(store, "a");
            b = enqueue(store, "b");
            assertTrue(store.deleteDelivered(a));
            assertFalse(store.deleteDelivered(a), "a second removal finds nothing");
            assertTrue(store.read(a).isEmpty());
            assertTrue(store.find(a).isEmpty());
            assertEquals(List.of(b), ids(store.list()));
            QueueId c = enqueue(store, "c");
            assertEquals(List.of(b, c), ids(store.list()));
            assertTrue(store.deleteDelivered(c));
        }
        try (QueueStore store = open()) {
            assertEquals(List.of(b), ids(store.list()), "the last removal before close is kept too");
        }
    }

    @Test
    void eventsAreNumberedInTheOrderWrittenAndReadAgainAfterAReopen() throws Exception {
        List<MailEvent> written = new ArrayList<>();
        try (QueueStore store = open()) {
            QueueId id = store.newId();
            MailEvent.Queued queued = new MailEvent.Queued(T0, id, "a@example.com", 3, 1, "local", null);
            store.enqueue(id, T0, bareEnvelope(), new byte[0], content("hey"), false, queued);
            MailEvent.Held held = new MailEvent.Held(T0, id, SendContext.EMPTY);
            assertTrue(store.apply(id, Change.of(new Change.Hold(), held)));
            MailEvent.Delivered delivered = new MailEvent.Delivered(T0, id, "b@example.org", "local", Duration.ZERO,
                    "2.0.0", "250 ok");
            assertTrue(store.apply(id, new Change(List.of(new Change.Finish(Set.of(0)), new Change.Remove(false)),
                    List.of(delivered))));
            written.addAll(List.of(queued, held, delivered));
            assertTrue(store.await(2, Duration.ofSeconds(5)), "the unforced removal's event is readable soon");
            assertEquals(written, events(store.read(0, 100)));
            assertEquals(List.of(delivered), events(store.read(2, 100)), "after a cursor");
            assertEquals(List.of(queued), events(store.read(0, 1)), "at most max");
            assertEquals(3, store.last());
        }
        try (QueueStore reopened = open()) {
            assertTrue(reopened.list().isEmpty(), "the removal is written with its event");
            List<EventFeed.Entry> read = reopened.read(0, 100);
            assertEquals(written, events(read));
            assertEquals(List.of(1L, 2L, 3L), read.stream().map(EventFeed.Entry::cursor).toList());
            assertEquals(3, reopened.last());
            reopened.append(new MailEvent.Flushed(T0, 0));
            assertTrue(reopened.await(3, Duration.ofSeconds(5)));
            assertEquals(4, reopened.last(), "numbers go on after a reopening");
        }
    }

    @Test
    void everyKindOfEventReadsBackFromTheFeed() throws IOException {
        try (QueueStore store = open()) {
            store.record(EventFeedTest.everyKind());
            assertEquals(EventFeedTest.everyKind(), events(store.read(0, 100)));
        }
    }

    @Test
    void aRecordedEventIsReadableWhenRecordReturnsAndAwaitWakesForAnAppendedOne() throws Exception {
        try (QueueStore store = open()) {
            assertFalse(store.await(0, Duration.ofMillis(50)), "nothing yet");
            store.record(new MailEvent.Flushed(T0, 1));
            assertEquals(1, store.read(0, 10).size());
            Thread appender = Thread.ofVirtual().start(() -> store.append(new MailEvent.Flushed(T0, 2)));
            assertTrue(store.await(1, Duration.ofSeconds(5)));
            appender.join();
            assertEquals(List.of(new MailEvent.Flushed(T0, 1), new MailEvent.Flushed(T0, 2)),
                    events(store.read(0, 10)));
        }
    }

    @Test
    void theSendContextIsKeptThroughAReopening() throws IOException {
        QueueId tenanted;
        QueueId plain;
        try (QueueStore store = open()) {
            tenanted = store.newId();
            store.enqueue(tenanted, clock.instant(), fullEnvelope(), acme(), content("X-Trace: 1\r\n"),
                    content("Subject: x\r\n\r\nbody\r\n"), false, null);
            plain = enqueue(store, "plain");
            assertEquals(acme(), store.find(tenanted).orElseThrow().context());
        }
        try (QueueStore store = open()) {
            assertEquals(acme(), store.read(tenanted).orElseThrow().message().context());
            assertEquals(SendContext.EMPTY, store.find(plain).orElseThrow().context());
            assertEquals(List.of(acme(), SendContext.EMPTY),
                    store.list().stream().map(QueuedMessage::context).toList());
        }
    }

    @Test
    void anOperatorsHoldReleaseAndDeleteCarryTheMessagesContext() throws IOException {
        try (QueueStore store = open()) {
            QueueId id = store.newId();
            store.enqueue(id, clock.instant(), fullEnvelope(), acme(), new byte[0], content("x"), false, null);
            QueueActions actions = new QueueActions(store, QueueActions.Delivery.NONE, clock);
            assertTrue(actions.hold(id));
            assertTrue(actions.release(id));
            assertTrue(actions.delete(id));
            assertFalse(actions.hold(id), "gone");
            List<MailEvent> events = events(store.read(0, 10));
            assertEquals(List.of("Held", "Released", "Removed"),
                    events.stream().map(e -> e.getClass().getSimpleName()).toList());
            for (MailEvent e : events) {
                assertEquals(acme(), ((MailEvent.OfMessage) e).context());
            }
        }
    }

    @Test
    void readersCursorsAreKeptThroughAReopening() throws IOException {
        try (QueueStore store = open()) {
            assertEquals(0, store.load("webhooks"), "a new reader starts at 0");
            store.record(List.of(new MailEvent.Flushed(T0, 1), new MailEvent.Flushed(T0, 2)));
            store.save("webhooks", 1);
            assertEquals(Map.of("webhooks", 1L), store.known());
        }
        try (QueueStore store = open()) {
            assertEquals(1, store.load("webhooks"));
            assertEquals(0, store.load("log"));
            assertEquals(List.of(new MailEvent.Flushed(T0, 2)), events(store.read(1, 10)),
                    "what it has not read is kept");
        }
    }

    @Test
    void concurrentEnqueuesAreEachKeptOnce() throws Exception {
        int threads = 16;
        int each = 25;
        ConcurrentLinkedQueue<QueueId> ids = new ConcurrentLinkedQueue<>();
        try (QueueStore store = open(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        QueueId id = store.newId();
                        store.enqueue(id, clock.instant(), bareEnvelope(), new byte[0], content(id.value()), false,
                                new MailEvent.Queued(T0, id, "a@example.com", 15, 1, "local", null));
                        ids.add(id);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(threads * each, Set.copyOf(ids).size(), "every id differs");
            afterConcurrentEnqueues(store, threads * each);
        }
        try (QueueStore store = open()) {
            assertEquals(Set.copyOf(ids), Set.copyOf(ids(store.list())));
            for (QueueId id : ids) {
                assertArrayEquals(content(id.value()), store.read(id).orElseThrow().content());
            }
            List<EventFeed.Entry> feed = store.read(0, 1000);
            assertEquals(threads * each, feed.size());
            assertEquals(Set.copyOf(ids),
                    Set.copyOf(feed.stream().map(e -> ((MailEvent.Queued) e.event()).id()).toList()));
        }
    }

    /** What a subclass checks of its store after those concurrent enqueues (how they were grouped). */
    protected void afterConcurrentEnqueues(QueueStore store, int messages) {}
}
