package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final QueueId ID = new QueueId("BBBBBBBB");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventMetrics metrics = new EventMetrics(registry);

    private double outcomes(String outcome, String bounceClass) {
        return registry.get("petrel.delivery.outcomes").tag("outcome", outcome).tag("class", bounceClass).counter()
                .count();
    }

    @Test
    void deliveryEventsCountAttemptsOutcomesAndLatencyFromArrival() {
        metrics.publish(new MailEvent.Queued(NOW, ID, "a@b.test", 10, 3, "192.0.2.1", null));
        metrics.publish(new MailEvent.Delivered(NOW, ID, "x@c.test", "mx[192.0.2.2]:25", Duration.ofSeconds(3), "2.0.0", "250 ok"));
        metrics.publish(new MailEvent.Deferred(NOW, ID, "y@c.test", "mx[192.0.2.2]:25", Duration.ofSeconds(3), "4.2.1",
                "451 busy", BounceClass.THROTTLE));
        metrics.publish(new MailEvent.Bounced(NOW, ID, "z@c.test", "mx[192.0.2.2]:25", Duration.ofSeconds(3), "5.1.1",
                "550 no", BounceClass.HARD));
        metrics.publish(new MailEvent.Expired(NOW, ID, "y@c.test", Duration.ofDays(5), "4.4.7"));
        metrics.publish(new MailEvent.Held(NOW, ID, dev.petrel.mail.SendContext.EMPTY));

        assertEquals(1, registry.get("petrel.messages.accepted").counter().count());
        assertEquals(3, registry.get("petrel.delivery.attempts").counter().count(), "an expiry is no attempt");
        // a deferred or bounced recipient is counted by its bounce class, the others under "none"
        assertEquals(1, outcomes("delivered", "none"));
        assertEquals(1, outcomes("deferred", "throttle"));
        assertEquals(1, outcomes("bounced", "hard"));
        assertEquals(1, outcomes("expired", "none"));
        assertEquals(0, outcomes("bounced", "soft"), "every class's series exists from the start, at zero");
        assertEquals(2 + 2 * BounceClass.values().length,
                registry.find("petrel.delivery.outcomes").counters().size(), "one series per outcome and class");
        var delivered = registry.get("petrel.delivery.latency").tag("outcome", "delivered").timer();
        assertEquals(1, delivered.count());
        assertEquals(3, delivered.totalTime(TimeUnit.SECONDS), 0.001);
        assertEquals(Duration.ofDays(5).toSeconds(),
                registry.get("petrel.delivery.latency").tag("outcome", "expired").timer().totalTime(TimeUnit.SECONDS), 0.001);
        assertEquals(0, registry.find("petrel.delivery.latency").tag("outcome", "deferred").timers().size(),
                "a deferral is not an outcome's end");
    }

    @Test
    void queuedMessagesOfATenantAreCountedByTenantAndStream() {
        Function<SendContext, MailEvent> queued = c -> new MailEvent.Queued(NOW, ID,
                "a@b.test", 10, 1, "192.0.2.1", null, Map.of(), false, c);
        metrics.publish(queued.apply(new SendContext("acme", "news", null, Map.of())));
        metrics.publish(queued.apply(new SendContext("acme", "news", "t", Map.of())));
        metrics.publish(queued.apply(new SendContext("acme", null, null, Map.of())));
        metrics.publish(queued.apply(SendContext.EMPTY));

        assertEquals(2, registry.get("petrel.tenant.messages").tags("tenant", "acme", "stream", "news").counter()
                .count());
        assertEquals(1, registry.get("petrel.tenant.messages").tags("tenant", "acme", "stream", "").counter().count(),
                "a message on no stream counts under stream=\"\"");
        assertEquals(2, registry.find("petrel.tenant.messages").counters().size(), "a message of no tenant is not one");
        assertEquals(4, registry.get("petrel.messages.accepted").counter().count());
    }

    // issue 17: a receiver's later DSN about a recipient delivered here is a report, not a second attempt
    @Test
    void reportsFromReceiversAreCountedApartFromAttempts() {
        dev.petrel.mail.SendContext acme = new dev.petrel.mail.SendContext("acme", "news", null, java.util.Map.of());
        metrics.publish(new MailEvent.Bounced(NOW, ID, "z@c.test", "dsn:mailstore.c.test", Duration.ZERO, "5.1.1",
                "550 5.1.1 no", BounceClass.HARD, acme));
        metrics.publish(new MailEvent.Deferred(NOW, ID, "z@c.test", "dsn", Duration.ZERO, "4.2.2", "full", BounceClass.SOFT, acme));
        metrics.publish(new MailEvent.Complained(NOW, ID, "z@c.test", "abuse", "Yahoo!-Mail-Feedback/2.0", acme));
        assertEquals(2, registry.get("petrel.feedback.dsns").counter().count());
        assertEquals(1, registry.get("petrel.feedback.complaints").counter().count());
        assertEquals(0, registry.get("petrel.delivery.attempts").counter().count());
        assertEquals(0, outcomes("bounced", "hard"));
    }

    @ParameterizedTest(name = "{0} at {1} counts as stage={2} status={3}")
    @CsvSource({
        // the enhanced status when the reply has one
        "'550 5.1.1 No such user here', rcpt, rcpt, 5.1.1",
        "'451 4.7.1 Try again later', data, data, 4.7.1",
        // the stage's name alone, without what follows it
        "'550 5.7.1 Sender address rejected', 'mail to=x@example.test', mail, 5.7.1",
        // the reply code when it has none (a greeting refused before any status is given)
        "'554 Go away', connect, connect, 554",
        // what cannot be read, or a stage outside the small set of words, is folded
        "'whatever', rcpt, rcpt, unknown",
        "'550 5.7.1 no', 'Weird Stage!', other, 5.7.1",
    })
    void rejectionsAreCountedByStageAndStatus(String reply, String stage, String stageLabel, String status) {
        metrics.publish(new MailEvent.Rejected(NOW, "192.0.2.1", stage, null, null, reply));
        metrics.publish(new MailEvent.Rejected(NOW, "192.0.2.1", stage, null, null, reply));
        assertEquals(2, registry.get("petrel.messages.rejected").tag("stage", stageLabel).tag("status", status)
                .counter().count());
    }

    @Test
    void webhookDeliveriesAreCountedByResultWithStrangeResultsFolded() {
        metrics.webhookDelivery("delivered");
        metrics.webhookDelivery("delivered");
        metrics.webhookDelivery("timeout");
        metrics.webhookDelivery("HTTP 500 from https://example.test/?secret");
        assertEquals(2, registry.get("petrel.webhook.deliveries").tag("result", "delivered").counter().count());
        assertEquals(1, registry.get("petrel.webhook.deliveries").tag("result", "timeout").counter().count());
        assertEquals(1, registry.get("petrel.webhook.deliveries").tag("result", "other").counter().count());
    }

    @Test
    void suppressedRecipientsAreCountedByTheirReason() {
        dev.petrel.mail.SendContext acme = new dev.petrel.mail.SendContext("acme", null, null, java.util.Map.of());
        metrics.publish(new MailEvent.Suppressed(NOW, "a@c.test", "hard_bounce", "550 5.7.1 x", acme));
        metrics.publish(new MailEvent.Suppressed(NOW, "b@c.test", "hard_bounce", "550 5.7.1 x", acme));
        metrics.publish(new MailEvent.Suppressed(NOW, "c@c.test", "complaint", "550 5.7.1 x", acme));
        assertEquals(2, registry.get("petrel.messages.suppressed").tag("reason", "hard_bounce").counter().count());
        assertEquals(1, registry.get("petrel.messages.suppressed").tag("reason", "complaint").counter().count());
    }
}
