package dev.petrel.queue;

import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest events in memory, numbered, so readers that keep up never touch the disk. An event is written when
 * its record is, and readable once that record is on stable storage; events written but not yet durable go
 * when a failed write cuts the journal back.
 */
final class RecentEvents {

    private final MailEvent[] slots;
    // events numbered (low, written] are in the slots; those up to durable are readable
    private long low;
    private long written;
    private long durable;

    RecentEvents(int capacity, long last) {
        this.slots = new MailEvent[capacity];
        this.low = last;
        this.written = last;
        this.durable = last;
    }

    /** Adds the next event; its number is returned. */
    synchronized long add(MailEvent event) {
        written++;
        slots[(int) (written % slots.length)] = event;
        if (written - low > slots.length) {
            low = written - slots.length;
        }
        return written;
    }

    /** Everything written so far is on stable storage. */
    synchronized void allDurable() {
        if (durable != written) {
            durable = written;
            notifyAll();
        }
    }

    /** Forgets events written after the durable ones (their records were cut off); returns the last number kept. */
    synchronized long dropUndurable() {
        for (long n = durable + 1; n <= written; n++) {
            slots[(int) (n % slots.length)] = null;
        }
        written = durable;
        low = Math.min(low, durable);
        return durable;
    }

    synchronized long written() {
        return written;
    }

    synchronized long durable() {
        return durable;
    }

    /** The readable events after {@code after}, at most {@code max}; null when they are older than memory holds. */
    synchronized List<EventFeed.Entry> read(long after, int max) {
        long from = Math.max(after, 0);
        if (from < low) {
            return null;
        }
        List<EventFeed.Entry> out = new ArrayList<>((int) Math.min(max, Math.max(0, durable - from)));
        for (long n = from + 1; n <= durable && out.size() < max; n++) {
            out.add(new EventFeed.Entry(n, slots[(int) (n % slots.length)]));
        }
        return out;
    }

    synchronized boolean await(long cursor, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (durable <= cursor) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
