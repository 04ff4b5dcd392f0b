package dev.petrel.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.petrel.testing.HandClock;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private final HandClock clock = new HandClock();
    private final Scheduler scheduler = new Scheduler(clock);

    private static QueueId id(String s) {
        return new QueueId(s);
    }

    @Test
    void messagesComeOutInOrderOfTheirTimeAndOnlyWhenDue() {
        scheduler.schedule(id("BBBBBBBB"), clock.now.plusSeconds(60));
        scheduler.schedule(id("CCCCCCCC"), clock.now.plusSeconds(10));
        scheduler.schedule(id("DDDDDDDD"), clock.now);
        assertEquals(List.of(id("DDDDDDDD")), scheduler.takeDue(10));
        clock.now = clock.now.plusSeconds(60);
        assertEquals(List.of(id("CCCCCCCC"), id("BBBBBBBB")), scheduler.takeDue(10));
        assertEquals(0, scheduler.size());
    }

    @Test
    void reschedulingMovesAMessageAndRemovingDropsIt() {
        scheduler.schedule(id("BBBBBBBB"), clock.now);
        scheduler.schedule(id("BBBBBBBB"), clock.now.plusSeconds(300));
        scheduler.schedule(id("CCCCCCCC"), clock.now);
        scheduler.remove(id("CCCCCCCC"));
        assertEquals(List.of(), scheduler.takeDue(10), "neither is due: one moved, one removed");
        assertEquals(1, scheduler.size());
        clock.now = clock.now.plusSeconds(300);
        assertEquals(List.of(id("BBBBBBBB")), scheduler.takeDue(10));
    }

    @Test
    void takeDueGivesAtMostTheAskedNumber() {
        for (String s : List.of("BBBBBBBB", "CCCCCCCC", "DDDDDDDD")) {
            scheduler.schedule(id(s), clock.now);
        }
        assertEquals(2, scheduler.takeDue(2).size());
        assertEquals(1, scheduler.takeDue(2).size());
    }

    @Test
    void flushMakesEverythingDueNow() {
        scheduler.schedule(id("BBBBBBBB"), clock.now.plus(Duration.ofHours(1)));
        scheduler.schedule(id("CCCCCCCC"), clock.now.plus(Duration.ofDays(1)));
        scheduler.scheduleAllNow();
        assertEquals(2, scheduler.takeDue(10).size());
    }

    @Test
    void loadSkipsHeldMessagesAndUsesTheRecordedNextAttempt() {
        Envelope env = new Envelope(ReversePath.NULL, List.of(Recipient.of(Address.of("a@b.test"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, null, null);
        QueuedMessage due = new QueuedMessage(id("BBBBBBBB"), clock.now, env, 10, false,
                new DeliveryState(java.util.Set.of(), clock.now.minusSeconds(1), 1, "x"));
        QueuedMessage later = new QueuedMessage(id("CCCCCCCC"), clock.now, env, 10, false,
                new DeliveryState(java.util.Set.of(), clock.now.plusSeconds(600), 2, "y"));
        QueuedMessage held = new QueuedMessage(id("DDDDDDDD"), clock.now, env, 10, true);
        scheduler.load(List.of(due, later, held));
        assertEquals(List.of(id("BBBBBBBB")), scheduler.takeDue(10));
        assertEquals(1, scheduler.size());
    }

    @Test
    void aWaiterWakesWhenAMessageBecomesDueNow() throws Exception {
        CompletableFuture<List<QueueId>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return scheduler.awaitDue(10, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        scheduler.schedule(id("BBBBBBBB"), clock.now);
        assertEquals(List.of(id("BBBBBBBB")), waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void awaitDueReturnsEmptyAfterItsLongestWait() throws Exception {
        scheduler.schedule(id("BBBBBBBB"), clock.now.plus(Duration.ofHours(1)));
        long start = System.nanoTime();
        assertEquals(List.of(), scheduler.awaitDue(10, Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start >= 150_000_000L, "it waited");
    }
}
