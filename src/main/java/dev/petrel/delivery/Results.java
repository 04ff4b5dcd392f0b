package dev.petrel.delivery;

import dev.petrel.mail.Recipient;
import dev.petrel.queue.QueuedMessage;
import java.time.Instant;
import java.util.TreeMap;
import java.util.Map;

/** What one attempt of a message decided, recipient by recipient (by envelope index). */
final class Results {

    // in envelope order, whatever order the transactions finished in
    final Map<Integer, Transport.Delivery> byIndex = new TreeMap<>();
    final Map<Integer, Recipient> recipients = new TreeMap<>();
    // recipients not tried now (their site is backed off, or its message rate said "not yet"): no outcome, no
    // attempt; the message is due again then
    private Instant postponedUntil;

    synchronized void postpone(Instant until) {
        postponedUntil = postponedUntil == null || until.isBefore(postponedUntil) ? until : postponedUntil;
    }

    synchronized Instant postponedUntil() {
        return postponedUntil;
    }

    synchronized void put(QueuedMessage.Pending p, Transport.Delivery d) {
        byIndex.put(p.index(), d);
        recipients.put(p.index(), p.recipient());
    }
}
