package dev.petrel.web;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.TenantId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One tenant's events out of the feed, which holds every tenant's: an event belongs to the tenant its message was
 * sent for, and events that name none (mail from SMTP without a key, refusals, an operator's acts) to
 * {@code default}, as webhooks count them. A page reads at most {@value #SCAN} events of the feed, so a tenant with
 * few events among many does not make one request read the whole feed; its {@code next} cursor goes on from there.
 */
final class TenantEvents {

    static final int SCAN = 10_000;
    private static final int READ = 1000;

    private TenantEvents() {}

    /** The tenant's events found, and the cursor to ask from next (past what was read, even when none matched). */
    record Page(List<EventFeed.Entry> entries, long next) {}

    static Page read(EventFeed feed, TenantId tenant, long after, int limit) throws IOException {
        List<EventFeed.Entry> found = new ArrayList<>();
        long cursor = after;
        int scanned = 0;
        while (found.size() < limit && scanned < SCAN) {
            List<EventFeed.Entry> batch = feed.read(cursor, Math.min(READ, SCAN - scanned));
            if (batch.isEmpty()) {
                break;
            }
            for (EventFeed.Entry e : batch) {
                cursor = e.cursor();
                scanned++;
                if (belongs(e.event(), tenant)) {
                    found.add(e);
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
        }
        return new Page(found, cursor);
    }

    /** Whether the event is the tenant's. */
    static boolean belongs(MailEvent event, TenantId tenant) {
        String name = event instanceof MailEvent.InContext c ? c.context().tenant() : null;
        return tenant.name().equals(name == null ? TenantId.DEFAULT.name() : name);
    }
}
