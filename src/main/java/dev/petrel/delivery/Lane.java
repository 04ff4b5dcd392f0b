package dev.petrel.delivery;

import dev.petrel.dns.Site;

/**
 * A destination site as seen from one egress: what a throttle, a ready queue and a kept connection belong to.
 * Receivers judge a sender by its address, so a site that slows or refuses one egress (421s, a backoff) says
 * nothing of another, and each gets its own window, backoff and rate.
 */
public record Lane(String egress, Site site) {

    public Lane {
        if (egress == null || site == null) {
            throw new IllegalArgumentException("a lane has an egress and a site");
        }
    }

    /** The site from the default egress. */
    public static Lane of(Site site) {
        return new Lane(Egress.DEFAULT_NAME, site);
    }

    @Override
    public String toString() {
        return egress + ":" + site.key();
    }
}
