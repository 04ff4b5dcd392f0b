package dev.petrel.event;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.SendContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics that follow from events: messages accepted and rejected, delivery attempts, outcomes and their
 * latency from the message's arrival. It reads the feed as the log does (on a reader thread of its own), so the
 * SMTP and delivery threads pay nothing for it. Also holds the webhook deliveries counter, which the webhook
 * dispatcher records into with {@link #webhookDelivery}.
 */
public final class EventMetrics implements EventSink {

    /** The outcomes a recipient's delivery ends in, or one attempt of it. */
    private enum Outcome {
        DELIVERED, DEFERRED, BOUNCED, EXPIRED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        // a deferred or bounced recipient is counted by the bounce class of its reply; the others have none
        List<String> classes() {
            return this == DEFERRED || this == BOUNCED
                    ? Arrays.stream(BounceClass.values()).map(BounceClass::label).toList() : List.of(NO_CLASS);
        }
    }

    private static final String NO_CLASS = "none";

    // a reply summary starts "550 5.1.1 text" (RFC 5321 4.2, RFC 3463)
    private static final Pattern SUMMARY = Pattern.compile("^(\\d{3})(?: ([245]\\.\\d{1,3}\\.\\d{1,3}))?");
    private static final Pattern WORD = Pattern.compile("[a-z0-9_]{1,32}");
    // from a second to five days, the queue's lifetime: where the interesting delays fall
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
        Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12), Duration.ofDays(1),
        Duration.ofDays(2), Duration.ofDays(5)};

    // a suppression is meant to follow a click within a second or two
    private static final Duration[] UNSUBSCRIBE_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(30), Duration.ofMinutes(5)};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer unsubscribeLatency;
    private final Counter accepted;
    private final Counter complaints;
    private final Counter reports;
    private final Counter attempts;
    private final Map<String, Counter> outcomes = new HashMap<>();
    private final Map<Outcome, Timer> latencies = new EnumMap<>(Outcome.class);
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> webhooks = new ConcurrentHashMap<>();
    private final Map<String, Counter> suppressed = new ConcurrentHashMap<>();
    private final Map<String, Counter> pauses = new ConcurrentHashMap<>();
    private final Map<String, Counter> tenants = new ConcurrentHashMap<>();

    public EventMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    /** @param clock what the unsubscribe latency is measured by */
    public EventMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.unsubscribeLatency = Timer.builder("petrel.unsubscribe.latency")
                .description("Time from an unsubscribe (one-click or by mail) to its event reaching the feed's readers,"
                        + " the suppression writer among them")
                .serviceLevelObjectives(UNSUBSCRIBE_BUCKETS).register(registry);
        this.accepted = Counter.builder("petrel.messages.accepted")
                .description("Messages accepted and written to the queue").register(registry);
        this.reports = Counter.builder("petrel.feedback.dsns")
                .description("DSNs from receivers about messages sent here, turned into bounced or deferred events")
                .register(registry);
        this.complaints = Counter.builder("petrel.feedback.complaints")
                .description("Complaints (ARF reports) of recipients about messages sent here").register(registry);
        this.attempts = Counter.builder("petrel.delivery.attempts")
                .description("Delivery attempts, one per recipient tried (delivered, deferred or bounced)")
                .register(registry);
        for (Outcome o : Outcome.values()) {
            for (String c : o.classes()) {
                outcomes.put(o.label() + " " + c, Counter.builder("petrel.delivery.outcomes")
                        .description("What came of recipients' delivery attempts, by outcome and bounce class")
                        .tags("outcome", o.label(), "class", c).register(registry));
            }
            if (o != Outcome.DEFERRED) {
                latencies.put(o, Timer.builder("petrel.delivery.latency")
                        .description("Time from a message's arrival in the queue to a recipient's final outcome")
                        .tags("outcome", o.label()).serviceLevelObjectives(LATENCY_BUCKETS)
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofDays(5))
                        .register(registry));
            }
        }
    }

    @Override
    public void publish(MailEvent event) {
        switch (event) {
            case MailEvent.Queued q -> queued(q.context());
            case MailEvent.Rejected r -> rejected(r).increment();
            case MailEvent.Delivered d -> attempted(Outcome.DELIVERED, NO_CLASS, d.delay());
            case MailEvent.Deferred d -> attemptedOrReported(Outcome.DEFERRED, d);
            case MailEvent.Bounced b -> attemptedOrReported(Outcome.BOUNCED, b);
            case MailEvent.Expired e -> ended(Outcome.EXPIRED, NO_CLASS, e.delay());
            case MailEvent.Held h -> { }
            case MailEvent.Released r -> { }
            case MailEvent.Removed r -> { }
            case MailEvent.Suppressed s -> suppressed(s.reason()).increment();
            case MailEvent.Flushed f -> { }
            case MailEvent.Unsubscribed u -> unsubscribed(u);
            case MailEvent.Complained c -> complaints.increment();
            case MailEvent.StreamPaused p -> paused(p.reason()).increment();
        }
    }

    // petrel_stream_pauses_total{reason}: streams the reputation guard paused, by the rate that was over
    private Counter paused(String reason) {
        String label = word(reason);
        return pauses.computeIfAbsent(label, k -> Counter.builder("petrel.stream.pauses")
                .description("Streams paused by the reputation guard, by the rate that was over its threshold")
                .tags("reason", label).register(registry));
    }

    private void queued(SendContext context) {
        accepted.increment();
        if (context.tenant() != null) {
            String stream = context.stream() == null ? "" : context.stream();
            tenants.computeIfAbsent(context.tenant() + " " + stream, k -> Counter.builder("petrel.tenant.messages")
                    .description("Messages of a tenant written to the queue, by the stream they go out on")
                    .tags("tenant", context.tenant(), "stream", stream).register(registry)).increment();
        }
    }

    // a receiver's DSN about a recipient delivered earlier: counted as a report, not as a second attempt
    private void attemptedOrReported(Outcome outcome, MailEvent.Failure event) {
        if (event.reported()) {
            reports.increment();
        } else {
            attempted(outcome, event.bounceClass().label(), event.delay());
        }
    }

    // petrel_messages_suppressed_total{reason}: recipients refused for a suppression, by its reason
    private Counter suppressed(String reason) {
        String label = word(reason);
        return suppressed.computeIfAbsent(label, k -> Counter.builder("petrel.messages.suppressed")
                .description("Recipients refused before the queue because they are suppressed, by the reason")
                .tags("reason", label).register(registry));
    }

    // from the click to the moment the feed's readers (the suppression writer among them) have the event
    private void unsubscribed(MailEvent.Unsubscribed u) {
        Duration latency = Duration.between(u.time(), clock.instant());
        unsubscribeLatency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    private void attempted(Outcome outcome, String bounceClass, Duration delay) {
        attempts.increment();
        ended(outcome, bounceClass, delay);
    }

    private void ended(Outcome outcome, String bounceClass, Duration delay) {
        outcomes.get(outcome.label() + " " + bounceClass).increment();
        Timer latency = latencies.get(outcome);
        if (latency != null) {
            latency.record(delay.isNegative() ? Duration.ZERO : delay);
        }
    }

    // the reason is the stage refused at and the reply's enhanced status (its code when it has none)
    private Counter rejected(MailEvent.Rejected r) {
        String status = status(r.reply());
        // a stage may carry more after its name ("rcpt to=..."): the name alone is the label
        String stage = word(r.stage() == null ? null : r.stage().split(" ", 2)[0]);
        return rejected.computeIfAbsent(stage + " " + status, k -> Counter.builder("petrel.messages.rejected")
                .description("Messages and recipients refused, by the SMTP stage and the reply's enhanced status")
                .tags("stage", stage, "status", status).register(registry));
    }

    static String status(String summary) {
        Matcher m = SUMMARY.matcher(summary == null ? "" : summary);
        if (!m.find()) {
            return "unknown";
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    /**
     * One webhook delivery attempt ended so: a short lowercase word such as {@code delivered}, {@code failed},
     * {@code timeout}, {@code refused}, {@code dropped}; anything else is counted as {@code other}.
     */
    public void webhookDelivery(String result) {
        String label = word(result);
        webhooks.computeIfAbsent(label, k -> Counter.builder("petrel.webhook.deliveries")
                .description("Webhook delivery attempts, by result").tags("result", label).register(registry))
                .increment();
    }

    // label values come from a small set; anything unexpected is folded so that it cannot grow without bound
    private static String word(String value) {
        return value != null && WORD.matcher(value).matches() ? value : "other";
    }
}
