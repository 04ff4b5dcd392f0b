package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.DeliveryState;
import dev.petrel.queue.QueuedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueShapeTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static QueuedMessage message(String id, Duration age, Set<Integer> finished, String... recipients) {
        List<Recipient> rcpts = java.util.Arrays.stream(recipients).map(r -> Recipient.of(Address.of(r))).toList();
        Envelope env = new Envelope(ReversePath.NULL, rcpts, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE,
                null, null, null, null);
        Instant arrival = NOW.minus(age);
        return new QueuedMessage(new QueueId(id), arrival, env, 100, false, new DeliveryState(finished, arrival, 0, null));
    }

    @Test
    void countsPendingRecipientsByDomainAndAgeBusiestFirst() {
        String shape = QueueShape.of(List.of(
                message("BBBBBBBB", Duration.ofMinutes(1), Set.of(), "a@one.test", "b@two.test", "c@two.test"),
                message("CCCCCCCC", Duration.ofMinutes(30), Set.of(0), "d@one.test", "e@two.test"),
                message("DDDDDDDD", Duration.ofDays(2), Set.of(), "f@two.test")), NOW).render();
        List<String> lines = shape.lines().toList();
        assertEquals(4, lines.size(), shape);
        // T, then buckets <5 <10 <20 <40 <80 <160 <320 <640 <1280 and older
        assertEquals(List.of("TOTAL", "5", "3", "0", "0", "1", "0", "0", "0", "0", "0", "1"), words(lines.get(1)));
        assertEquals(List.of("two.test", "4", "2", "0", "0", "1", "0", "0", "0", "0", "0", "1"), words(lines.get(2)));
        assertEquals(List.of("one.test", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0"), words(lines.get(3)),
                "the finished recipient of the second message is not counted");
    }

    private static List<String> words(String line) {
        return List.of(line.strip().split("\\s+"));
    }
}
