package dev.petrel.compliance;

import dev.petrel.event.EventFeed;
import dev.petrel.event.EventSink;
import dev.petrel.event.FeedReader;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pauses a tenant's stream whose hard bounces or complaints are too many for the mail it sent, as Gmail and Yahoo
 * judge a sender (a complaint rate above 0.3% is Gmail's published ceiling). It reads the event feed by its own
 * cursor ({@value #CURSOR}) and keeps, per tenant and stream, rolling counts over a window: recipients delivered or
 * bounced here (not those of a sandbox, nor a receiver's later DSN about one delivered before), hard bounces (the
 * class {@code hard}, here or in a receiver's DSN, as {@link SuppressionWriter} tells them), and complaints. Once a
 * stream has sent to {@code minVolume} recipients in the window, a rate over its threshold pauses it, with the
 * reason, through the same {@link Tenancy} the command line uses, and writes a {@code stream.paused} event. A
 * resume (by anyone) restarts the judgement: what came before it is forgotten.
 *
 * <p>The counts are saved in {@link ReputationCounts} with the cursor they count up to, each time the reader saves
 * its cursor, so a restart neither loses nor counts twice (the feed need not keep a whole window of events).
 */
public final class ReputationGuard implements FeedReader.Batches {

    /** The guard's cursor in the feed. */
    public static final String CURSOR = "reputation";

    /** What pauses a stream, and after how much mail. */
    public record Thresholds(Duration window, long minVolume, double hardBounceRate, double complaintRate) {
        public static final Thresholds DEFAULT = new Thresholds(Duration.ofHours(24), 500, 0.05, 0.003);
    }

    private record Key(TenantId tenant, String stream) {}

    private final ReputationCounts store;
    private final Tenancy tenancy;
    private final EventSink events;
    private final Thresholds thresholds;
    private final Clock clock;
    private final Map<Key, ReputationWindow> windows = new HashMap<>();
    private final Set<Key> changed = new LinkedHashSet<>();
    // per stream, the cursor of the last event counted since the start
    private final Map<Key, Long> added = new HashMap<>();
    private final long counted;

    /** @param events where {@code stream.paused} is written: the event feed */
    public ReputationGuard(ReputationCounts store, Tenancy tenancy, EventSink events, Thresholds thresholds,
                           Clock clock) {
        this.store = store;
        this.tenancy = tenancy;
        this.events = events;
        this.thresholds = thresholds;
        this.clock = clock;
        this.counted = store.counted();
    }

    @Override
    public void handle(List<EventFeed.Entry> batch) {
        Map<Key, List<EventFeed.Entry>> byStream = new LinkedHashMap<>();
        for (EventFeed.Entry e : batch) {
            if (e.cursor() > counted) {
                key(e.event()).ifPresent(k -> byStream.computeIfAbsent(k, x -> new ArrayList<>()).add(e));
            }
        }
        byStream.forEach(this::count);
    }

    @Override
    public void durable(long cursor) {
        List<ReputationCounts.Stream> out = new ArrayList<>();
        for (Key k : changed) {
            out.add(new ReputationCounts.Stream(k.tenant(), k.stream(), windows.get(k).steps()));
        }
        store.save(out, cursor);
        changed.clear();
    }

    // the stream as it is now: restarted when it was resumed since, its events counted (each once, also when a
    // batch that failed half-way is handed again), then judged
    private void count(Key key, List<EventFeed.Entry> batch) {
        Optional<Stream> stream = tenancy.stream(key.tenant(), key.stream());
        if (stream.isEmpty()) {
            return;
        }
        ReputationWindow window = windows.computeIfAbsent(key, k -> new ReputationWindow(thresholds.window(),
                store.steps(k.tenant(), k.stream()), stream.get().resumed()));
        boolean touched = window.restart(stream.get().resumed());
        long last = added.getOrDefault(key, counted);
        for (EventFeed.Entry e : batch) {
            if (e.cursor() > last) {
                touched |= add(window, e.event());
                last = e.cursor();
            }
        }
        added.put(key, last);
        touched |= window.expire(clock.instant());
        if (touched) {
            changed.add(key);
        }
        if (!stream.get().paused()) {
            judge(key, window.totals());
        }
    }

    private static boolean add(ReputationWindow window, MailEvent event) {
        return switch (event) {
            case MailEvent.Delivered d -> !d.relay().equals("sandbox") && window.add(d.time(), 1, 0, 0);
            case MailEvent.Bounced b -> window.add(b.time(), b.reported() ? 0 : 1,
                    SuppressionWriter.hard(b) ? 1 : 0, 0);
            case MailEvent.Complained c -> window.add(c.time(), 0, 0, 1);
            default -> false;
        };
    }

    // the tenant and stream of an event the guard counts, when it names both
    private static Optional<Key> key(MailEvent event) {
        SendContext context = switch (event) {
            case MailEvent.Delivered d -> d.context();
            case MailEvent.Bounced b -> b.context();
            case MailEvent.Complained c -> c.context();
            default -> null;
        };
        if (context == null || context.tenant() == null || context.stream() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Key(TenantId.parse(context.tenant()), context.stream()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void judge(Key key, ReputationCounts.Step totals) {
        if (totals.recipients() < thresholds.minVolume() || totals.recipients() == 0) {
            return;
        }
        if (over(totals.hardBounces(), totals.recipients(), thresholds.hardBounceRate())) {
            pause(key, "hard_bounce_rate", describe(totals.hardBounces(), "hard bounces", totals.recipients(),
                    thresholds.hardBounceRate()));
        } else if (over(totals.complaints(), totals.recipients(), thresholds.complaintRate())) {
            pause(key, "complaint_rate", describe(totals.complaints(), "complaints", totals.recipients(),
                    thresholds.complaintRate()));
        }
    }

    private static boolean over(long count, long recipients, double threshold) {
        return (double) count / recipients > threshold;
    }

    private String describe(long count, String what, long recipients, double threshold) {
        return count + " " + what + " of " + recipients + " recipients (" + percent((double) count / recipients)
                + ") in " + duration(thresholds.window()) + ", over " + percent(threshold);
    }

    // written once: a stream paused already (by anyone, or by this guard before a restart) is not paused again
    private void pause(Key key, String reason, String text) {
        if (tenancy.pauseForReputation(key.tenant(), key.stream(), reason, text)) {
            events.publish(new MailEvent.StreamPaused(clock.instant(), reason, text,
                    new SendContext(key.tenant().name(), key.stream(), null, Map.of())));
        }
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    // 24h, 30m, 90s: as the configuration writes durations
    static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds > 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
