package dev.petrel.delivery;

import dev.petrel.bounce.ThrottleRule;
import dev.petrel.bounce.Throttles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * How fast one destination site may be sent to from one egress (a {@link Lane}: receivers judge each sending
 * address on its own, so a site that slows one egress does not slow another): a number of transactions at once that starts small and grows
 * with each success up to {@code concurrency} (slow start, like Postfix's initial_destination_concurrency),
 * halves when the site fails, and none at all while the site is backed off after it refused connections or
 * answered 421 at the door; and, when a message rate is set, transactions spaced so that the site gets no more
 * than that many messages per second. A site is the set of MX hosts, so every domain one provider hosts shares
 * its limits. The window is kept by the {@link ReadyQueue}; the backoff and the rate answer "not before t";
 * nobody sleeps on them. When several nodes share a store, the message rate is theirs together ({@link SiteRates}:
 * each node takes {@link #CHUNK}'s worth of it at a time), and so is the concurrency (through {@link SiteSlots}).
 */
public final class SiteThrottle {

    private final int concurrency;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    /** Postfix's initial_destination_concurrency. */
    public static final int INITIAL_CONCURRENCY = 5;

    private final ConcurrentHashMap<Lane, Integer> windows = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Lane, Backoff> backoffs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Lane, Instant> nextSlots = new ConcurrentHashMap<>();
    private final Duration spacing;
    private final int messageRate;
    // with several nodes: the shared buckets of the sites' rates, and what this node took of each and has not used
    private final SiteRates shared;
    private final ConcurrentHashMap<Lane, long[]> allowances = new ConcurrentHashMap<>();

    /** How much of a second's message rate a node takes from a shared bucket at a time (at least one message). */
    public static final Duration CHUNK = Duration.ofMillis(100);
    private final MeterRegistry meters;
    // the sites whose meters are registered
    private final ConcurrentHashMap<Lane, Counter> backoffCounters = new ConcurrentHashMap<>();

    private record Backoff(Instant until, Duration last) {}

    // reply-driven shaping: a deferral matching a [[throttle]] rule suspends its site for the rule's time
    private final Throttles shaping;
    private final Consumer<String> notices;
    private final ConcurrentHashMap<Lane, Instant> suspensions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Lane, Instant> slowdowns = new ConcurrentHashMap<>();
    // the sites whose gauges of shaping are registered
    private final java.util.Set<Lane> shapedSites = ConcurrentHashMap.newKeySet();

    /** How many of a site's last replies are kept, for the dashboard. */
    static final int REPLIES_KEPT = 5;
    private final ConcurrentHashMap<Lane, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Lane, IntSupplier> inFlight = new ConcurrentHashMap<>();

    /** A reply the site gave, and which of its hosts gave it. */
    public record Reply(Instant time, String relay, String text) {}

    /**
     * A site as an operator sees it: its window, transactions under way, backoff and last replies (newest first).
     *
     * @param backedOffUntil null when the site may be tried now
     * @param lastBackoff the length of its last backoff, zero when it never had one
     */
    public record State(String site, String egress, int window, int inFlight, Instant backedOffUntil,
                        Duration lastBackoff, List<Reply> replies) {}

    public SiteThrottle(int concurrency, Duration firstBackoff, Duration maxBackoff, Clock clock) {
        this(concurrency, firstBackoff, maxBackoff, 0, clock);
    }

    /** @param messageRate the most messages per second one site gets, or 0 for no limit */
    public SiteThrottle(int concurrency, Duration firstBackoff, Duration maxBackoff, int messageRate, Clock clock) {
        this(concurrency, firstBackoff, maxBackoff, messageRate, clock, new CompositeMeterRegistry());
    }

    /**
     * As above, showing each site it has seen in {@code meters}: whether it is backed off now, its backoffs, and
     * (through the {@link ReadyQueue}) its transactions in flight. One series per destination site.
     */
    public SiteThrottle(int concurrency, Duration firstBackoff, Duration maxBackoff, int messageRate, Clock clock,
                        MeterRegistry meters) {
        this(concurrency, firstBackoff, maxBackoff, messageRate, clock, meters, null, line -> { });
    }

    /**
     * As above, with reply-driven shaping: a deferral that one of {@code shaping}'s rules matches suspends its site
     * for the egress it came from (see {@link #shape}), each suspension told to {@code notices} as a log line.
     */
    public SiteThrottle(int concurrency, Duration firstBackoff, Duration maxBackoff, int messageRate, Clock clock,
                        MeterRegistry meters, Throttles shaping, Consumer<String> notices) {
        this(concurrency, firstBackoff, maxBackoff, messageRate, clock, meters, shaping, notices, null);
    }

    /** As above, the message rates shared with the other nodes on the store through {@code shared} (null: none). */
    public SiteThrottle(int concurrency, Duration firstBackoff, Duration maxBackoff, int messageRate, Clock clock,
                        MeterRegistry meters, Throttles shaping, Consumer<String> notices, SiteRates shared) {
        this.shared = shared;
        this.messageRate = messageRate;
        this.shaping = shaping;
        this.notices = notices;
        this.meters = meters;
        this.spacing = messageRate > 0 ? Duration.ofNanos(1_000_000_000L / messageRate) : Duration.ZERO;
        this.concurrency = concurrency;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
    }

    /** The time before which the site is not to be tried (backed off or suspended), or null when it may be now. */
    public Instant notBefore(Lane site) {
        Instant now = clock.instant();
        Backoff b = backoffs.get(site);
        Instant backedOff = b == null || !b.until().isAfter(now) ? null : b.until();
        Instant suspended = suspendedUntil(site);
        return backedOff == null || suspended != null && suspended.isAfter(backedOff) ? suspended : backedOff;
    }

    /** The end of the site's suspension, or null when it is not suspended now. */
    public Instant suspendedUntil(Lane site) {
        return until(suspensions, site);
    }

    // the time kept for the site, while it is to come
    private Instant until(ConcurrentHashMap<Lane, Instant> times, Lane site) {
        Instant until = times.get(site);
        return until == null || !until.isAfter(clock.instant()) ? null : until;
    }

    /**
     * Reply-driven shaping: when a {@code [[throttle]]} rule matches this deferral, the site is suspended for the
     * egress for the rule's time (a suspension under way is only ever made longer), counted, and logged; true then.
     */
    public boolean shape(Lane site, dev.petrel.mail.Reply reply) {
        Optional<ThrottleRule> rule = shaping == null ? Optional.empty() : shaping.match(reply);
        if (rule.isEmpty()) {
            return false;
        }
        Instant until = clock.instant().plus(rule.get().duration());
        boolean suspend = rule.get().action() == ThrottleRule.Action.SUSPEND;
        (suspend ? suspensions : slowdowns).merge(site, until, (a, b) -> a.isAfter(b) ? a : b);
        suspended(site, rule.get().action()).increment();
        notices.accept(clock.instant() + (suspend ? " site-suspended" : " site-slowed") + " site=" + site.site().key()
                + " egress=" + site.egress() + " until=" + until + " reply=\"" + reply.summary().replace("\"", "'")
                + "\"");
        return true;
    }

    // petrel_delivery_site_suspensions_total{site,egress,action}, and the gauges of both actions, once per site
    private Counter suspended(Lane site, ThrottleRule.Action action) {
        seen(site);
        if (shapedSites.add(site)) {
            Gauge.builder("petrel.delivery.site.suspended", this, t -> t.suspendedUntil(site) == null ? 0 : 1)
                    .description("1 while the destination site is suspended for the egress by a throttle rule")
                    .tags("site", site.site().key(), "egress", site.egress()).register(meters);
            Gauge.builder("petrel.delivery.site.slowed", this, t -> t.until(t.slowdowns, site) == null ? 0 : 1)
                    .description("1 while a throttle rule keeps the destination site to one transaction at a time")
                    .tags("site", site.site().key(), "egress", site.egress()).register(meters);
        }
        return Counter.builder("petrel.delivery.site.suspensions")
                .description("Times a throttle rule suspended or slowed the destination site for the egress")
                .tags("site", site.site().key(), "egress", site.egress(), "action", action.text()).register(meters);
    }

    /**
     * One message to the site under its message rate: null when it may go now (and it is counted), else the time
     * before which no message may go (nothing is counted; ask again then).
     */
    public Instant reserve(Lane site) {
        if (spacing.isZero()) {
            return null;
        }
        if (shared != null) {
            return reserveShared(site);
        }
        Instant now = clock.instant();
        Instant[] wait = new Instant[1];
        nextSlots.compute(site, (s, next) -> {
            if (next != null && next.isAfter(now)) {
                wait[0] = next;
                return next;
            }
            return now.plus(spacing);
        });
        return wait[0];
    }

    // one message from this node's allowance, topped up from the shared bucket a chunk at a time, one taker at once
    private Instant reserveShared(Lane site) {
        long[] allowance = allowances.computeIfAbsent(site, s -> new long[1]);
        synchronized (allowance) {
            if (allowance[0] == 0) {
                SiteRates.Grant grant = shared.take(site, messageRate, 1,
                        Math.max(1, messageRate * CHUNK.toMillis() / 1000));
                if (grant.granted() == 0) {
                    return clock.instant().plusNanos((long) Math.ceil((1 - grant.remaining()) / messageRate * 1e9));
                }
                allowance[0] = grant.granted();
            }
            allowance[0]--;
            return null;
        }
    }

    /** How many transactions the site may have at once now. */
    public int limit(Lane site) {
        int window = windows.computeIfAbsent(site, s -> Math.min(INITIAL_CONCURRENCY, concurrency));
        return until(slowdowns, site) == null ? window : 1;
    }

    /** The site failed as a whole: halve its window, and back it off, twice as long as last time, up to the cap. */
    public void failed(Lane site) {
        seen(site).increment();
        windows.compute(site, (s, w) -> Math.max(1, (w == null ? Math.min(INITIAL_CONCURRENCY, concurrency) : w) / 2));
        backoffs.compute(site, (s, b) -> {
            Duration next = b == null ? firstBackoff : b.last().multipliedBy(2);
            if (next.compareTo(maxBackoff) > 0) {
                next = maxBackoff;
            }
            return new Backoff(clock.instant().plus(next), next);
        });
    }

    /** The site's backoff counter, its meters registered on first sight. */
    private Counter seen(Lane site) {
        return backoffCounters.computeIfAbsent(site, s -> {
            Gauge.builder("petrel.delivery.site.backed.off", this, t -> t.notBefore(s) == null ? 0 : 1)
                    .description("1 while the destination site is backed off after failing as a whole, else 0")
                    .tags("site", s.site().key(), "egress", s.egress()).register(meters);
            return Counter.builder("petrel.delivery.site.backoffs")
                    .description("Times the destination site was backed off")
                    .tags("site", s.site().key(), "egress", s.egress()).register(meters);
        });
    }

    /** Registers the site's gauge of transactions in flight, read from {@code inFlight}; once per site. */
    <T> void watchInFlight(Lane site, T line, ToDoubleFunction<T> inFlight) {
        seen(site);
        this.inFlight.putIfAbsent(site, () -> (int) inFlight.applyAsDouble(line));
        Gauge.builder("petrel.delivery.site.in.flight", line, inFlight)
                .description("Delivery transactions to the destination site under way now")
                .tags("site", site.site().key(), "egress", site.egress()).register(meters);
    }

    /** The site took mail: its backoff is over and its window grows by one, up to the cap. */
    public void succeeded(Lane site) {
        backoffs.remove(site);
        windows.compute(site, (s, w) -> Math.min(concurrency, (w == null ? Math.min(INITIAL_CONCURRENCY, concurrency) : w) + 1));
    }

    /** Keeps a reply the site gave, with its last few. */
    public void replied(Lane site, String relay, String text) {
        Deque<Reply> kept = replies.computeIfAbsent(site, s -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addFirst(new Reply(clock.instant(), relay, text));
            while (kept.size() > REPLIES_KEPT) {
                kept.removeLast();
            }
        }
    }

    /** Every site seen since the start, from each egress, by key. */
    public List<State> states() {
        List<State> out = new ArrayList<>();
        for (Lane site : windows.keySet()) {
            Backoff b = backoffs.get(site);
            Deque<Reply> kept = replies.getOrDefault(site, new ArrayDeque<>());
            List<Reply> last;
            synchronized (kept) {
                last = List.copyOf(kept);
            }
            IntSupplier running = inFlight.get(site);
            out.add(new State(site.site().key(), site.egress(), limit(site), running == null ? 0 : running.getAsInt(),
                    notBefore(site), b == null ? Duration.ZERO : b.last(), last));
        }
        out.sort(Comparator.comparing(State::site).thenComparing(State::egress));
        return out;
    }
}
