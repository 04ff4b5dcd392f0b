package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueFilterTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static QueuedMessage message(String sender, Duration age, boolean held, int attempts, Set<Integer> done,
                                         String... recipients) {
        Envelope env = new Envelope(ReversePath.of(Address.of(sender)),
                List.of(recipients).stream().map(r -> Recipient.of(Address.of(r))).toList(),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, null, null);
        Instant arrival = NOW.minus(age);
        return new QueuedMessage(new QueueId("BBBBBBBBBBBB"), arrival, env, 10, held,
                new DeliveryState(done, arrival, attempts, null));
    }

    @Test
    void theStateIsHoldDeferredOrActiveAsPostfixNamesItsQueues() {
        assertEquals(QueueFilter.State.HOLD, QueueFilter.State.of(message("a@x.test", Duration.ZERO, true, 3, Set.of(), "b@y.test")));
        assertEquals(QueueFilter.State.DEFERRED, QueueFilter.State.of(message("a@x.test", Duration.ZERO, false, 1, Set.of(), "b@y.test")));
        assertEquals(QueueFilter.State.ACTIVE, QueueFilter.State.of(message("a@x.test", Duration.ZERO, false, 0, Set.of(), "b@y.test")));
        assertThrows(IllegalArgumentException.class, () -> QueueFilter.State.parse("incoming"));
    }

    @Test
    void aDomainMatchesOnlyRecipientsStillPending() {
        QueuedMessage m = message("a@x.test", Duration.ZERO, false, 0, Set.of(0), "b@done.test", "c@open.test");
        assertTrue(new QueueFilter(null, Domain.parse("open.test"), null, null, null).matches(m, NOW));
        assertFalse(new QueueFilter(null, Domain.parse("done.test"), null, null, null).matches(m, NOW));
    }

    @Test
    void senderAndAgeBoundsNarrowTheMatch() {
        QueuedMessage m = message("Alice@x.test", Duration.ofMinutes(30), false, 0, Set.of(), "b@y.test");
        assertTrue(new QueueFilter(null, null, "alice@x.test", null, null).matches(m, NOW));
        assertFalse(new QueueFilter(null, null, "bob@x.test", null, null).matches(m, NOW));
        assertTrue(new QueueFilter(null, null, null, Duration.ofMinutes(30), Duration.ofHours(1)).matches(m, NOW));
        assertFalse(new QueueFilter(null, null, null, Duration.ofMinutes(31), null).matches(m, NOW));
        assertFalse(new QueueFilter(null, null, null, null, Duration.ofMinutes(30)).matches(m, NOW));
        assertTrue(QueueFilter.ALL.isEmpty() && QueueFilter.ALL.matches(m, NOW));
    }
}
