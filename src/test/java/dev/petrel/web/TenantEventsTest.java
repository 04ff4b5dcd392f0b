package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.testing.MemoryFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One tenant's page of the feed: its events only, in order, and a next cursor that never skips one of them. */
class TenantEventsTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final TenantId ACME = new TenantId("acme");

    private static MailEvent delivered(int n, String tenant) {
        return new MailEvent.Delivered(T, new QueueId(String.format("BCDF%08d", n)), "b@example.net", "local",
                Duration.ZERO, "2.0.0", "250 ok", new SendContext(tenant, null, null, Map.of()));
    }

    @Test
    void aPageHoldsTheTenantsEventsOnlyAndGoesOnAfterTheLastOneReturned() throws Exception {
        MemoryFeed feed = new MemoryFeed();
        for (int i = 0; i < 10; i++) {
            feed.add(delivered(i, i % 3 == 0 ? "acme" : "bravo"));
        }
        TenantEvents.Page first = TenantEvents.read(feed, ACME, 0, 2);
        assertEquals(List.of(1L, 4L), first.entries().stream().map(EventFeed.Entry::cursor).toList());
        assertEquals(4, first.next(), "next is the last one returned, not the end of what was read");
        TenantEvents.Page second = TenantEvents.read(feed, ACME, first.next(), 2);
        assertEquals(List.of(7L, 10L), second.entries().stream().map(EventFeed.Entry::cursor).toList());
        TenantEvents.Page none = TenantEvents.read(feed, ACME, second.next(), 2);
        assertEquals(List.of(), none.entries());
        assertEquals(10, none.next());
    }

    @Test
    void eventsThatNameNoTenantAreDefaults() throws Exception {
        MemoryFeed feed = new MemoryFeed();
        feed.add(new MailEvent.Rejected(T, "192.0.2.1", "rcpt", "a@b.test", "c@d.test", "550 5.1.1 no"));
        feed.add(delivered(1, null));
        feed.add(delivered(2, "acme"));
        feed.add(new MailEvent.Flushed(T, 3));
        assertEquals(List.of(1L, 2L, 4L), TenantEvents.read(feed, TenantId.DEFAULT, 0, 100).entries().stream()
                .map(EventFeed.Entry::cursor).toList());
    }

    @Test
    void aPageReadsAtMostTheScanBoundAndSaysWhereItStopped() throws Exception {
        MemoryFeed feed = new MemoryFeed();
        for (int i = 0; i < TenantEvents.SCAN + 5; i++) {
            feed.add(delivered(i, i == TenantEvents.SCAN + 2 ? "acme" : "bravo"));
        }
        TenantEvents.Page page = TenantEvents.read(feed, ACME, 0, 100);
        assertEquals(List.of(), page.entries());
        assertEquals(TenantEvents.SCAN, page.next());
        TenantEvents.Page rest = TenantEvents.read(feed, ACME, page.next(), 100);
        assertEquals(List.of((long) TenantEvents.SCAN + 3), rest.entries().stream().map(EventFeed.Entry::cursor).toList());
    }
}
