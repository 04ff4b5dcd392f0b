package dev.petrel.cli;

import dev.petrel.delivery.Lane;
import dev.petrel.delivery.SiteSlots;
import dev.petrel.store.SqlSiteSlots;
import dev.petrel.store.Stores;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The slots of sites' connections this server holds in a store shared with other nodes (PostgreSQL), renewed
 * together every third of their lease ({@code [cluster] lease}) by a thread of their own, and freed when delivery
 * closes. A server that dies without freeing them holds them until their lease is over.
 */
final class SiteSlotLeases implements SiteSlots, AutoCloseable {

    private final SqlSiteSlots slots;
    private final ScheduledExecutorService renewer;
    private final Consumer<String> problems;
    private final Duration lease;

    private SiteSlotLeases(SqlSiteSlots slots, Duration lease, Consumer<String> problems) {
        this.slots = slots;
        this.lease = lease;
        this.problems = problems;
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("petrel-site-slots").daemon(true).factory());
        long every = lease.toMillis() / 3;
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The slots on a shared store, or {@link SiteSlots#UNLIMITED} on the embedded one.
     *
     * @param lease how long a slot is held without renewal: what a dead node's connections keep from the others
     * @param problems where a failed renewal is told (tried again a third of a lease later)
     */
    static SiteSlots of(Stores stores, Duration lease, Consumer<String> problems) {
        Optional<SqlSiteSlots> shared = stores.siteSlots(lease);
        return shared.<SiteSlots>map(s -> new SiteSlotLeases(s, lease, problems)).orElse(SiteSlots.UNLIMITED);
    }

    @Override
    public Optional<Slot> take(Lane lane, int max) {
        return slots.take(lane, max);
    }

    private void renew() {
        try {
            slots.renew();
        } catch (RuntimeException e) {
            problems.accept("site connection slots not renewed, tried again in " + lease.toSeconds() / 3 + "s: "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            slots.close();
        } catch (RuntimeException e) {
            problems.accept("site connection slots not freed, free after their lease: " + e.getMessage());
        }
    }
}
