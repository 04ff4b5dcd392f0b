package dev.petrel.delivery;

import dev.petrel.dns.Site;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How fast one destination site may be sent to: at most {@code concurrency} transactions at once, and none at
 * all while the site is backed off after it refused connections or answered 421 at the door. A site is the set
 * of MX hosts, so every domain one provider hosts shares its limits. It answers "not before t"; nobody sleeps.
 */
public final class SiteThrottle {

    private final int concurrency;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final ConcurrentHashMap<Site, Semaphore> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Site, Backoff> backoffs = new ConcurrentHashMap<>();

    private record Backoff(Instant until, Duration last) {}

    public SiteThrottle(int concurrency, Duration firstBackoff, Duration maxBackoff, Clock clock) {
        this.concurrency = concurrency;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
    }

    /** The time before which the site is not to be tried, or null when it may be tried now. */
    public Instant notBefore(Site site) {
        Backoff b = backoffs.get(site);
        return b == null || !b.until().isAfter(clock.instant()) ? null : b.until();
    }

    /** Takes a slot for one transaction, waiting for one to free; release it with {@link #release}. */
    public void acquire(Site site) throws InterruptedException {
        slots.computeIfAbsent(site, s -> new Semaphore(concurrency)).acquire();
    }

    public void release(Site site) {
        slots.get(site).release();
    }

    /** The site failed as a whole: back it off, twice as long as last time, up to the cap. */
    public void failed(Site site) {
        backoffs.compute(site, (s, b) -> {
            Duration next = b == null ? firstBackoff : b.last().multipliedBy(2);
            if (next.compareTo(maxBackoff) > 0) {
                next = maxBackoff;
            }
            return new Backoff(clock.instant().plus(next), next);
        });
    }

    /** The site took mail: its backoff is over. */
    public void succeeded(Site site) {
        backoffs.remove(site);
    }
}
