package dev.petrel.web;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard's sites page shows of delivery's destination sites (a site is the set of MX hosts one
 * provider answers on): the throttle's window, its backoff, and the last replies. Delivery keeps these; the
 * command line connects it here, as {@code web} does not import {@code delivery}.
 */
@FunctionalInterface
public interface SiteStatus {

    SiteStatus NONE = List::of;

    /**
     * One destination site.
     *
     * @param window how many transactions it may have at once now
     * @param inFlight how many it has under way
     * @param backedOffUntil when it may be tried again after failing as a whole; null when it may be tried now
     * @param lastBackoff how long its last backoff was, in seconds (0 when it was never backed off)
     * @param replies its last replies, newest first
     */
    record Site(String name, int window, int inFlight, Instant backedOffUntil, long lastBackoff, List<Reply> replies) {
        public Site {
            replies = List.copyOf(replies);
        }
    }

    /** A reply a site gave, and when. */
    record Reply(Instant time, String relay, String text) {}

    /** Every site seen since the server started, by name. */
    List<Site> sites();
}
