package dev.petrel.event;

import java.io.IOException;

/**
 * Gives each named consumer of the {@link EventFeed} (the webhooks, the suppression writer, the log, ...) to one
 * process at a time: a {@link Holder} is told when this process takes the consumer's lock and when it loses it. On
 * the embedded store one process owns the data folder, so every lock is {@link #held} at once; on PostgreSQL an
 * advisory lock per consumer, tried again every few seconds by a process that lacks it, moves a consumer to
 * another node when its node dies.
 */
public interface ConsumerLocks {

    /** What runs a consumer while its lock is held. */
    interface Holder {
        /**
         * This process holds the lock now: start the consumer, its cursor kept in {@code cursors}, which saves only
         * while the lock is held. Throwing gives the lock back (tried again later).
         */
        void taken(Cursors cursors) throws IOException;

        /**
         * The lock is gone (its connection failed): stop at once and save nothing, as another process may have
         * taken the consumer over already.
         */
        void lost();
    }

    /**
     * Wants the named lock for {@code holder} from now on; when it is free now, {@link Holder#taken} runs before
     * this returns (and what it throws is thrown here, the lock given back).
     */
    void watch(String name, Holder holder) throws IOException;

    /** Gives the named lock back and stops wanting it; its holder stopped its consumer (and saved) first. */
    void release(String name);

    /** Every lock held at once, the cursors kept in {@code cursors}: for a store one process owns. */
    static ConsumerLocks held(Cursors cursors) {
        return new ConsumerLocks() {
            @Override
            public void watch(String name, Holder holder) throws IOException {
                holder.taken(cursors);
            }

            @Override
            public void release(String name) {
                // nothing was taken from anyone
            }
        };
    }
}
