package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.MailEvent;
import dev.petrel.event.MessageLog;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.IdempotencyKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the send API's stores do, whatever keeps them: the message log and the idempotency keys. */
abstract class SendApiStoreContract {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId BRAVO = new TenantId("bravo");
    private static final SendContext ACME_RECEIPTS = new SendContext("acme", "receipts", "receipt",
            Map.of("order", "42"));

    private final List<Stores> opened = new ArrayList<>();
    private Stores stores;

    /** Stores on a database of the test's own; a second call opens the same database again. */
    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStores() throws Exception {
        stores = open();
        opened.add(stores);
    }

    @AfterEach
    final void closeStores() {
        opened.forEach(Stores::close);
    }

    private static MailEvent.Queued queued(String id, SendContext context, Instant at) {
        return new MailEvent.Queued(at, new QueueId(id), "ann@acme.test", 1234, 2, "127.0.0.1", "apikey:abcdefgh",
                Map.of(), false, context);
    }

    private static MailEvent.Deferred deferred(String id, String to, Instant at) {
        return new MailEvent.Deferred(at, new QueueId(id), to, "mx.remote.test[192.0.2.1]:25", Duration.ofSeconds(1),
                "4.2.0", "451 4.2.0 try later", BounceClass.SOFT);
    }

    private static MailEvent.Delivered delivered(String id, String to, Instant at) {
        return new MailEvent.Delivered(at, new QueueId(id), to, "mx.remote.test[192.0.2.1]:25", Duration.ofSeconds(2),
                "2.0.0", "250 2.0.0 ok");
    }

    @Test
    void aTenantsMessageIsLoggedWithEachRecipientsLastOutcomeAndOnlyForItsTenant() throws Exception {
        MessageLog log = stores.messageLog();
        String id = "1M2B3C4D5F6G7H8";
        log.record(List.of(queued(id, ACME_RECEIPTS, T0), deferred(id, "bob@remote.test", T0.plusSeconds(1)),
                new MailEvent.Bounced(T0.plusSeconds(2), new QueueId(id), "carol@remote.test", "none",
                        Duration.ofSeconds(2), "5.1.1", "550 5.1.1 no such user", BounceClass.HARD)));
        log.record(List.of(delivered(id, "bob@remote.test", T0.plusSeconds(3))));
        log.durable(7);
        Stores other = open();
        opened.add(other);
        MessageLog.Message m = other.messageLog().message(ACME, new QueueId(id)).orElseThrow();
        assertEquals("ann@acme.test", m.sender());
        assertEquals("receipts", m.stream());
        assertEquals("receipt", m.tag());
        assertEquals(Map.of("order", "42"), m.metadata());
        assertEquals(2, m.recipients());
        assertEquals(T0, m.queuedAt());
        assertEquals(List.of("carol@remote.test bounced 5.1.1 550 5.1.1 no such user",
                "bob@remote.test delivered 2.0.0 250 2.0.0 ok"), m.states().stream()
                .map(s -> s.address() + " " + s.state() + " " + s.status() + " " + s.reply()).toList());
        assertEquals(Optional.empty(), other.messageLog().message(BRAVO, new QueueId(id)), "another tenant's");
        assertEquals(Optional.empty(), other.messageLog().message(ACME, new QueueId("1M2B3C4D5F6G7H9")));
    }

    @Test
    void eventsReadTwiceLeaveTheLogAsOnceAndMessagesWithoutATenantAreNotLogged() {
        MessageLog log = stores.messageLog();
        String id = "1M2B3C4D5F6G7H8";
        List<MailEvent> events = List.of(queued(id, ACME_RECEIPTS, T0), deferred(id, "bob@remote.test", T0),
                delivered(id, "bob@remote.test", T0.plusSeconds(5)),
                queued("1M2B3C4D5F6G7HB", SendContext.EMPTY, T0), delivered("1M2B3C4D5F6G7HB", "x@y.test", T0),
                new MailEvent.Removed(T0.plusSeconds(6), new QueueId(id)));
        log.record(events);
        MessageLog.Message once = log.message(ACME, new QueueId(id)).orElseThrow();
        log.record(events);
        assertEquals(once, log.message(ACME, new QueueId(id)).orElseThrow());
        assertTrue(once.removed());
        assertEquals(1, once.states().size());
        assertEquals(Optional.empty(), log.message(TenantId.DEFAULT, new QueueId("1M2B3C4D5F6G7HB")));
    }

    @Test
    void anOutcomeThatNamesAnotherTenantDoesNotTouchTheMessage() {
        MessageLog log = stores.messageLog();
        String id = "1M2B3C4D5F6G7H8";
        log.record(List.of(queued(id, ACME_RECEIPTS, T0), new MailEvent.Delivered(T0, new QueueId(id), "b@r.test",
                "none", Duration.ZERO, "2.0.0", "250 ok", new SendContext("bravo", null, null, Map.of()))));
        assertEquals(List.of(), log.message(ACME, new QueueId(id)).orElseThrow().states());
    }

    @Test
    void messagesQueuedBeforeTheRetentionAreForgottenWithTheirRecipients() {
        MessageLog log = stores.messageLog();
        log.record(List.of(queued("1M2B3C4D5F6G7H1", ACME_RECEIPTS, T0),
                delivered("1M2B3C4D5F6G7H1", "bob@remote.test", T0),
                queued("1M2B3C4D5F6G7H2", ACME_RECEIPTS, T0.plus(Duration.ofDays(2)))));
        assertEquals(1, log.forget(T0.plus(Duration.ofDays(1))));
        assertEquals(Optional.empty(), log.message(ACME, new QueueId("1M2B3C4D5F6G7H1")));
        assertTrue(log.message(ACME, new QueueId("1M2B3C4D5F6G7H2")).isPresent());
        // a late outcome of a forgotten message brings nothing back
        log.record(List.of(delivered("1M2B3C4D5F6G7H1", "carol@remote.test", T0)));
        assertEquals(Optional.empty(), log.message(ACME, new QueueId("1M2B3C4D5F6G7H1")));
    }

    @Test
    void anIdempotencyKeyIsClaimedOnceAnsweredAndPerTenant() {
        IdempotencyKeys keys = stores.idempotencyKeys();
        Instant stale = T0.minus(Duration.ofDays(1));
        Instant abandoned = T0.minus(Duration.ofMinutes(10));
        assertEquals(Optional.empty(), keys.claim(ACME, "k1", "f1", T0, stale, abandoned));
        IdempotencyKeys.Claim pending = keys.claim(ACME, "k1", "f1", T0, stale, abandoned).orElseThrow();
        assertFalse(pending.answered());
        assertEquals(Optional.empty(), keys.claim(BRAVO, "k1", "f1", T0, stale, abandoned), "keys are per tenant");
        keys.answer(ACME, "k1", 200, "{\"message_id\":\"X\"}");
        IdempotencyKeys.Claim done = keys.claim(ACME, "k1", "f2", T0, stale, abandoned).orElseThrow();
        assertEquals(new IdempotencyKeys.Claim("f1", 200, "{\"message_id\":\"X\"}", T0), done);
        keys.release(ACME, "k1");
        assertTrue(keys.claim(ACME, "k1", "f1", T0, stale, abandoned).isPresent(), "an answered claim stays");
    }

    @Test
    void aStaleOrAbandonedClaimIsTakenOverAndExpiredKeysAreForgotten() {
        IdempotencyKeys keys = stores.idempotencyKeys();
        keys.claim(ACME, "answered", "f1", T0, T0.minus(Duration.ofDays(1)), T0);
        keys.answer(ACME, "answered", 200, "{}");
        keys.claim(ACME, "pending", "f1", T0, T0.minus(Duration.ofDays(1)), T0);
        Instant later = T0.plus(Duration.ofMinutes(11));
        assertTrue(keys.claim(ACME, "answered", "f2", later, T0.minus(Duration.ofDays(1)), T0.plusSeconds(60))
                .isPresent(), "an answer is kept for the window");
        assertEquals(Optional.empty(), keys.claim(ACME, "pending", "f2", later, T0.minus(Duration.ofDays(1)),
                T0.plusSeconds(60)), "a claim without an answer for 10 minutes is taken over");
        assertEquals(Optional.empty(), keys.claim(ACME, "answered", "f2", T0.plus(Duration.ofDays(2)),
                T0.plusSeconds(1), T0.plusSeconds(1)), "after the window the key is new");
        assertEquals(1, keys.forget(T0.plus(Duration.ofDays(1))), "the one claimed 11 minutes in");
    }

    @Test
    void ofConcurrentClaimsOfOneKeyExactlyOneWins() throws Exception {
        IdempotencyKeys keys = stores.idempotencyKeys();
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            claims.add(() -> keys.claim(ACME, "race", "f", T0, T0.minusSeconds(60), T0.minusSeconds(60)).isEmpty());
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            int won = 0;
            for (Future<Boolean> f : threads.invokeAll(claims)) {
                won += f.get() ? 1 : 0;
            }
            assertEquals(1, won);
        }
    }
}
