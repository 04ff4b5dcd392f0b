package dev.petrel.testing;

import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An event feed in memory, cursors 1, 2, 3, ...; its cursor saves are noted in {@link #steps} ("save 7"). */
public final class MemoryFeed implements EventFeed, Cursors {

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    /** What was done to the feed, in order; tests add their own steps to see the order of both. */
    public final List<String> steps = Collections.synchronizedList(new ArrayList<>());

    public synchronized void add(MailEvent event) {
        entries.add(new Entry(entries.size() + 1, event));
    }

    @Override
    public List<Entry> read(long after, int max) {
        return entries.stream().filter(e -> e.cursor() > after).limit(max).toList();
    }

    @Override
    public long last() {
        return entries.size();
    }

    @Override
    public boolean await(long cursor, Duration timeout) throws InterruptedException {
        Thread.sleep(Math.min(5, timeout.toMillis()));
        return last() > cursor;
    }

    @Override
    public void append(MailEvent event) {
        add(event);
    }

    @Override
    public long load(String reader) {
        return 0;
    }

    @Override
    public void save(String reader, long cursor) {
        steps.add("save " + cursor);
    }
}
