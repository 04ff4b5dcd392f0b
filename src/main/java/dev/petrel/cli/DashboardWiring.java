package dev.petrel.cli;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.SiteThrottle;
import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.FeedReader;
import dev.petrel.web.SiteStatus;
import dev.petrel.web.Traffic;
import dev.petrel.web.WebhookStatus;
import dev.petrel.webhook.WebhookOperations;
import java.io.IOException;
import java.time.Duration;

/**
 * Connects the dashboard to the running server: its traffic counts fed by a reader of the event feed, and the
 * sites page to delivery's throttle. The webhooks page shows {@code WebhookStatus.NONE} until the webhook
 * dispatcher is connected here.
 */
final class DashboardWiring {

    /** How idle a dashboard session may be before it ends. */
    static final Duration SESSION_IDLE = Duration.ofHours(12);
    /**
     * How far back the traffic counter starts reading at start-up: enough events for a busy day's charts, few
     * enough to read in a moment. Older events fall outside the charts' day anyway.
     */
    private static final long EVENTS_AT_START = 500_000;

    private DashboardWiring() {}

    /** Starts counting the feed's events for the overview's charts, from the last day's (or so) events. */
    static FeedReader count(EventFeed feed, Traffic traffic) throws IOException {
        long from = Math.max(0, feed.last() - EVENTS_AT_START);
        return FeedReader.start("dashboard", feed, new Cursors() {
            @Override
            public long load(String reader) {
                return from;
            }

            @Override
            public void save(String reader, long cursor) {
                // the counts live in memory: a restart counts again from the feed
            }
        }, traffic, Duration.ofDays(1));
    }

    /** The webhook endpoints as the dashboard shows them: every tenant's, with their failures and retries pending. */
    static WebhookStatus webhooks(WebhookOperations operations) {
        return () -> operations.listAll().stream()
                .map(v -> new WebhookStatus.Endpoint(v.id(), v.tenant(), v.url(), v.events(),
                        v.enabled() ? null : v.disabledReason(), v.failures(), v.pending(), v.lastError(),
                        v.failingSince()))
                .toList();
    }

    /** Delivery's sites as the dashboard shows them: one per site and egress, named by both but for the default. */
    static SiteStatus sites(SiteThrottle throttle) {
        return () -> throttle.states().stream().map(s -> new SiteStatus.Site(
                s.egress().equals(Egress.DEFAULT_NAME) ? s.site() : s.site() + " from " + s.egress(), s.window(),
                s.inFlight(),
                s.backedOffUntil(), s.lastBackoff().toSeconds(), s.replies().stream()
                .map(r -> new SiteStatus.Reply(r.time(), r.relay(), r.text())).toList())).toList();
    }
}
