package dev.petrel.delivery;

import java.util.Optional;

/**
 * Connections to destination sites counted across every server that shares one store (several nodes on
 * PostgreSQL): a connection holds one of its lane's numbered slots from before it opens until it closes, however
 * many messages it carries, so that a site never has more connections from all nodes together than its concurrency.
 * A server's own window (see {@link SiteThrottle}) still applies within that. The embedded store's server is alone:
 * {@link #UNLIMITED}.
 */
public interface SiteSlots {

    /** A slot held; released once, when its connection has closed. */
    interface Slot {
        void release();
    }

    /** For a server alone: every connection gets a slot, and nothing is counted. */
    SiteSlots UNLIMITED = (lane, slots) -> Optional.of(() -> { });

    /** One of the lane's {@code slots} slots, or empty when all are held (by this server or others). */
    Optional<Slot> take(Lane lane, int slots);

    /**
     * Thrown by a transport that could not open a connection because every slot of the site is held: the
     * transaction was not tried, and waits a moment (no attempt, no failure of the site).
     */
    final class Busy extends RuntimeException {
        public Busy(Lane lane) {
            super("every connection to " + lane + " allowed is open (across the cluster)", null, false, false);
        }
    }
}
