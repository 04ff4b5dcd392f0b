package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overview's counts per minute, and the domains failing most. */
class TrafficTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:30Z");
    private static final QueueId ID = new QueueId("0123456789BC");
    private final Traffic traffic = new Traffic();

    @Test
    void eachKindIsCountedInTheMinuteOfItsEventAndOlderMinutesStayApart() {
        traffic.publish(new MailEvent.Queued(NOW, ID, "a@b.test", 10, 1, "127.0.0.1", null));
        traffic.publish(new MailEvent.Delivered(NOW, ID, "x@d.test", "local", Duration.ZERO, "2.0.0", "250 ok"));
        traffic.publish(new MailEvent.Deferred(NOW.minusSeconds(60), ID, "y@slow.test", "none", Duration.ZERO, "4.4.1",
                "451 4.4.1 no answer", BounceClass.SOFT));
        traffic.publish(new MailEvent.Bounced(NOW.minus(Duration.ofDays(2)), ID, "z@gone.test", "none", Duration.ZERO,
                "5.1.1", "550 gone", BounceClass.HARD));
        Traffic.Series hour = traffic.series(NOW, 60);
        assertEquals(60, hour.counts().size());
        assertArrayEquals(new long[] {1, 1, 0, 0}, hour.counts().get(59));
        assertArrayEquals(new long[] {0, 0, 1, 0}, hour.counts().get(58));
        long bounced = traffic.series(NOW, Traffic.MINUTES).counts().stream().mapToLong(c -> c[3]).sum();
        assertEquals(0, bounced, "an event older than a day is not in the day's chart");
    }

    @Test
    void theDomainsFailingMostComeFirstWithTheirLastReply() {
        for (int i = 0; i < 3; i++) {
            traffic.publish(new MailEvent.Deferred(NOW, ID, "u" + i + "@slow.test", "none", Duration.ZERO, "4.4.1",
                    "451 try " + i, BounceClass.THROTTLE));
        }
        traffic.publish(new MailEvent.Bounced(NOW, ID, "a@gone.test", "mx", Duration.ZERO, "5.1.1", "550 gone",
                BounceClass.HARD));
        List<Traffic.Failing> failing = traffic.failingMost(NOW, 10);
        assertEquals(List.of("slow.test", "gone.test"), failing.stream().map(Traffic.Failing::domain).toList());
        assertEquals(3, failing.getFirst().count());
        assertEquals("451 try 2", failing.getFirst().lastReply());
        assertEquals(List.of(), traffic.failingMost(NOW.plus(Duration.ofDays(2)), 10));
    }
}
