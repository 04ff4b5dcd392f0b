package dev.petrel.web;

import dev.petrel.event.EventSink;
import dev.petrel.event.MailEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard's overview draws, counted from the event feed as it is read: messages accepted and recipients
 * delivered, deferred and bounced per minute over the last day (a ring of 1440 minutes), and the destination domains
 * whose recipients were deferred or bounced most, with the last reply each gave (counted from a domain's first
 * failure; a domain that has not failed for a day is forgotten). Kept in memory: a restart counts
 * again from the events the command line hands it.
 */
public final class Traffic implements EventSink {

    /** The series, in the order the chart draws them. */
    public enum Kind { ACCEPTED, DELIVERED, DEFERRED, BOUNCED }

    static final int MINUTES = 24 * 60;
    private static final int MAX_DOMAINS = 1000;

    /** One domain's failures: how many, and the last reply. */
    record Failing(String domain, long count, String lastReply, Instant last) {}

    /** Counts per minute, oldest first, ending with {@code end} (the epoch minute of the newest column). */
    record Series(long end, List<long[]> counts) {}

    private final long[] minuteOf = new long[MINUTES];
    private final long[][] counts = new long[MINUTES][Kind.values().length];
    private final Map<String, Failing> failing = new LinkedHashMap<>();

    @Override
    public synchronized void publish(MailEvent event) {
        Kind kind = switch (event) {
            case MailEvent.Queued q -> Kind.ACCEPTED;
            case MailEvent.Delivered d -> Kind.DELIVERED;
            case MailEvent.Deferred d -> Kind.DEFERRED;
            case MailEvent.Bounced b -> Kind.BOUNCED;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        long minute = event.time().getEpochSecond() / 60;
        int slot = (int) Math.floorMod(minute, MINUTES);
        if (minuteOf[slot] != minute) {
            if (minuteOf[slot] > minute) {
                return; // older than the day the ring holds
            }
            minuteOf[slot] = minute;
            counts[slot] = new long[Kind.values().length];
        }
        counts[slot][kind.ordinal()]++;
        if (event instanceof MailEvent.Outcome o && kind != Kind.DELIVERED) {
            fail(o);
        }
    }

    private void fail(MailEvent.Outcome o) {
        int at = o.to().lastIndexOf('@');
        String domain = at < 0 ? o.to() : o.to().substring(at + 1);
        Failing before = failing.remove(domain);
        failing.put(domain, new Failing(domain, before == null ? 1 : before.count() + 1, o.reply(), o.time()));
        if (failing.size() > MAX_DOMAINS) {
            failing.remove(failing.keySet().iterator().next());
        }
    }

    /** The last {@code minutes} minutes up to {@code now}, one row of counts per minute (zeros where none). */
    synchronized Series series(Instant now, int minutes) {
        long end = now.getEpochSecond() / 60;
        List<long[]> out = new ArrayList<>(minutes);
        for (long m = end - minutes + 1; m <= end; m++) {
            int slot = (int) Math.floorMod(m, MINUTES);
            out.add(minuteOf[slot] == m ? counts[slot].clone() : new long[Kind.values().length]);
        }
        return new Series(end, out);
    }

    /** The domains that failed most among those that failed in the last day, most first. */
    synchronized List<Failing> failingMost(Instant now, int max) {
        Instant since = now.minus(Duration.ofDays(1));
        failing.values().removeIf(f -> f.last().isBefore(since));
        return failing.values().stream().sorted(Comparator.comparingLong(Failing::count).reversed()).limit(max)
                .toList();
    }
}
