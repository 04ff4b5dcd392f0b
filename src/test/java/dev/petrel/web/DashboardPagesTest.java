package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.NodeStatus;
import dev.petrel.queue.QueueActions;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sites and webhooks pages from what delivery and the webhook dispatcher report, and the overview's nodes,
 * escaped for HTML.
 */
class DashboardPagesTest {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");
    private static final Exchange GET = new Exchange("GET", "/dashboard/sites", Map.of(), Map.of(), Map.of(),
            InetAddress.getLoopbackAddress(), new byte[0], "admin-token:ops");

    private static DashboardPages pages(SiteStatus sites, WebhookStatus webhooks) {
        return new DashboardPages(new Dashboard.Parts(null, null, null, null, new Traffic(), sites, webhooks,
                new HandClock(), line -> {}));
    }

    @Test
    void theSitesPageShowsEachSitesWindowBackoffAndRepliesEscaped() {
        String html = pages(() -> List.of(new SiteStatus.Site("mx1.provider.test", 2, 1, AT.plusSeconds(60), 60,
                List.of(new SiteStatus.Reply(AT, "mx1.provider.test[192.0.2.1]:25", "421 4.7.0 <b>slow down</b>")))),
                WebhookStatus.NONE).sites(GET, "token");
        assertTrue(html.contains("<td>mx1.provider.test</td><td class=\"n\">2</td><td class=\"n\">1</td>"), html);
        assertTrue(html.contains("60 s"), html);
        assertTrue(html.contains("421 4.7.0 &lt;b&gt;slow down&lt;/b&gt;"), html);
        assertFalse(html.contains("<b>slow"), html);
        assertTrue(html.contains("name=\"csrf\" value=\"token\""), "the sign-out form carries the token");
    }

    @Test
    void theWebhooksPageShowsEndpointsTheirFailuresAndRetriesPending() {
        String html = pages(SiteStatus.NONE, () -> List.of(new WebhookStatus.Endpoint("wh_1", "default",
                "https://hooks.example.test/in?a=1&b=2", List.of("message.bounced"), "failed for 3 days", 42, 7,
                "HTTP 500", AT))).webhooks(GET, "");
        assertTrue(html.contains("https://hooks.example.test/in?a=1&amp;b=2"), html);
        assertTrue(html.contains("disabled: failed for 3 days"), html);
        assertTrue(html.contains("<td class=\"n\">42</td><td class=\"n\">7</td>"), html);
        assertTrue(pages(SiteStatus.NONE, WebhookStatus.NONE).webhooks(GET, "").contains("No webhook endpoints"));
    }

    @Test
    void theOverviewShowsTheNodesThatShareTheQueueAndNoneForOneServer(@TempDir Path dir) throws Exception {
        HandClock clock = new HandClock();
        try (JournalQueueStore queue = JournalQueueStore.open(dir, clock, new java.util.Random(1),
                JournalQueueStore.DEFAULT_SEGMENT_SIZE)) {
            NodeStatus.Source two = () -> List.of(new NodeStatus("mx<1>", 3, AT, AT.plusSeconds(50),
                    Duration.ofSeconds(4), "alive", 12), new NodeStatus("mx2", 4, AT, AT, Duration.ofSeconds(90),
                    "stale", 5));
            String html = overview(new QueueActions(queue, QueueActions.Delivery.NONE, clock, two), queue, clock);
            assertTrue(html.contains("<td>mx&lt;1&gt;</td><td class=\"n\">3</td>"), html);
            assertTrue(html.contains("4 s ago</td><td class=\"alive\">alive</td><td class=\"n\">12</td>"), html);
            assertTrue(html.contains("<td class=\"stale\">stale</td><td class=\"n\">5</td>"), html);
            String one = overview(new QueueActions(queue, QueueActions.Delivery.NONE, clock), queue, clock);
            assertFalse(one.contains("id=\"nodes\""), one);
        }
    }

    private static String overview(QueueActions actions, JournalQueueStore feed, HandClock clock) throws Exception {
        return new DashboardPages(new Dashboard.Parts(null, null, actions, feed, new Traffic(), SiteStatus.NONE,
                WebhookStatus.NONE, clock, line -> {})).overview(GET, "");
    }
}
