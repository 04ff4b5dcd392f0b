package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.DeliveryState;
import dev.petrel.queue.QueueView;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import dev.petrel.testing.HandClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueueGaugesTest {

    private final HandClock clock = new HandClock();
    private final List<QueuedMessage> messages = new ArrayList<>();
    private final AtomicInteger listings = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QueueGauges gauges = new QueueGauges(new QueueView() {
        @Override
        public List<QueuedMessage> list() {
            listings.incrementAndGet();
            return List.copyOf(messages);
        }

        @Override
        public Optional<StoredMessage> read(QueueId id) {
            return Optional.empty();
        }
    }, clock, Duration.ofSeconds(5), registry);

    private QueuedMessage message(String id, Duration age, boolean held, int attempts, Set<Integer> finished,
                                  String... recipients) {
        List<Recipient> rcpts = java.util.Arrays.stream(recipients).map(r -> Recipient.of(Address.of(r))).toList();
        Envelope env = new Envelope(ReversePath.NULL, rcpts, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE,
                null, null, null, null);
        var arrival = clock.instant().minus(age);
        return new QueuedMessage(new QueueId(id), arrival, env, 100, held,
                new DeliveryState(finished, arrival, attempts, null));
    }

    private double messages(String state) {
        return registry.get("petrel.queue.messages").tag("state", state).gauge().value();
    }

    private double recipients(String age) {
        return registry.get("petrel.queue.recipients").tag("age", age).gauge().value();
    }

    @Test
    void countsMessagesByStateAndPendingRecipientsByQshapeAge() throws Exception {
        messages.add(message("BBBBBBBB", Duration.ofMinutes(1), false, 0, Set.of(), "a@one.test", "b@two.test"));
        messages.add(message("CCCCCCCC", Duration.ofMinutes(30), false, 2, Set.of(0), "c@one.test", "d@two.test"));
        messages.add(message("DDDDDDDD", Duration.ofDays(2), true, 1, Set.of(), "e@two.test"));
        gauges.refresh();
        assertEquals(1, messages("active"));
        assertEquals(1, messages("deferred"), "tried and waiting for its next attempt");
        assertEquals(1, messages("held"), "held, whatever its attempts");
        assertEquals(2, recipients("0-5m"));
        assertEquals(1, recipients("20-40m"), "the finished recipient is not counted");
        assertEquals(1, recipients("1280m+"));
        assertEquals(0, recipients("5-10m"));
        assertEquals(10, registry.find("petrel.queue.recipients").gauges().size(), "qshape's ten columns");
    }

    @Test
    void aScrapeWithinTheSnapshotAgeDoesNotListTheQueueAgain() throws Exception {
        gauges.refresh();
        messages.add(message("BBBBBBBB", Duration.ZERO, false, 0, Set.of(), "a@one.test"));
        clock.advance(Duration.ofSeconds(4));
        gauges.refresh();
        assertEquals(1, listings.get());
        assertEquals(0, messages("active"), "the snapshot of four seconds ago");
        clock.advance(Duration.ofSeconds(1));
        gauges.refresh();
        assertEquals(2, listings.get());
        assertEquals(1, messages("active"));
    }
}
