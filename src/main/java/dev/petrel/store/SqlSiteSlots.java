package dev.petrel.store;

import dev.petrel.delivery.Lane;
import dev.petrel.delivery.SiteSlots;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code site_slots} table on PostgreSQL: the slots this process holds, under its own random holder id, each
 * taken by {@code petrel_take_slot} (migration V19) for one lease, all renewed together by {@link #renew} (every
 * third of a lease), freed one by one as connections close and all together by {@link #close}. A process that
 * dies holds its slots until their lease is over; then any node may take them.
 */
public final class SqlSiteSlots implements SiteSlots, AutoCloseable {

    private final Database db;
    private final String holder;
    private final long leaseMicros;

    SqlSiteSlots(Database db, String holder, Duration lease) {
        this.db = db;
        this.holder = holder;
        this.leaseMicros = lease.toNanos() / 1000;
    }

    /** The id this process's slots are held under. */
    public String holder() {
        return holder;
    }

    @Override
    public Optional<Slot> take(Lane lane, int slots) {
        String site = lane.toString();
        Optional<Integer> taken = db.queryOne("SELECT petrel_take_slot(?, ?, ?, ?)", row -> {
            int slot = row.getInt(1);
            return row.wasNull() ? -1 : slot;
        }, site, slots, holder, leaseMicros);
        return taken.filter(slot -> slot >= 0).map(slot -> () -> release(site, slot));
    }

    // a slot not freed (the store away) comes back when its lease is over
    private void release(String site, int slot) {
        try {
            db.update("DELETE FROM site_slots WHERE site = ? AND slot = ? AND holder = ?", site, slot, holder);
        } catch (RuntimeException e) {
            // its lease ends it
        }
    }

    /** Makes every slot this process holds last another lease from now; how many it holds. */
    public int renew() {
        return db.update("UPDATE site_slots SET expires_us = (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT"
                + " + ? WHERE holder = ?", leaseMicros, holder);
    }

    /** Frees every slot this process holds: it opens no more connections. */
    @Override
    public void close() {
        db.update("DELETE FROM site_slots WHERE holder = ?", holder);
    }
}
