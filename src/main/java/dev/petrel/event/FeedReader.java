package dev.petrel.event;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Reads the {@link EventFeed} in order on a thread of its own and hands each event to a sink, saving its cursor
 * at most once per {@code saveEvery} (and when stopped), so a restart goes on where it was and may repeat what
 * it did since the last save.
 */
public final class FeedReader implements AutoCloseable {

    private static final int BATCH = 512;
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);

    private final String name;
    private final EventFeed feed;
    private final Cursors cursors;
    private final EventSink sink;
    private final long saveEveryNanos;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long cursor;
    private long saved;

    private FeedReader(String name, EventFeed feed, Cursors cursors, EventSink sink, Duration saveEvery)
            throws IOException {
        this.name = name;
        this.feed = feed;
        this.cursors = cursors;
        this.sink = sink;
        this.saveEveryNanos = saveEvery.toNanos();
        this.cursor = cursors.load(name);
        this.saved = cursor;
        this.thread = Thread.ofPlatform().name("petrel-feed-" + name).daemon(true).unstarted(this::run);
    }

    /** Starts reading from the reader's saved cursor. */
    public static FeedReader start(String name, EventFeed feed, Cursors cursors, EventSink sink, Duration saveEvery)
            throws IOException {
        FeedReader reader = new FeedReader(name, feed, cursors, sink, saveEvery);
        reader.thread.start();
        return reader;
    }

    /** The cursor of the last event handed on. */
    public long cursor() {
        return cursor;
    }

    private void run() {
        long lastSave = System.nanoTime();
        while (!stopping) {
            try {
                List<EventFeed.Entry> batch = feed.read(cursor, BATCH);
                for (EventFeed.Entry e : batch) {
                    sink.publish(e.event());
                    cursor = e.cursor();
                }
                if (System.nanoTime() - lastSave >= saveEveryNanos) {
                    save();
                    lastSave = System.nanoTime();
                }
                if (batch.isEmpty()) {
                    feed.await(cursor, IDLE_WAIT);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // the feed could not be read now (a disk error): try again shortly, nothing is skipped
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(IDLE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void save() throws IOException {
        long at = cursor;
        if (at != saved) {
            cursors.save(name, at);
            saved = at;
        }
    }

    /**
     * Hands on what is readable now, then stops and saves the cursor. Waits at most {@code timeout} for the thread.
     */
    public void close(Duration timeout) throws IOException {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // what was written before the stop still reaches the sink, in order
        for (List<EventFeed.Entry> batch = feed.read(cursor, BATCH); !batch.isEmpty(); batch = feed.read(cursor, BATCH)) {
            for (EventFeed.Entry e : batch) {
                sink.publish(e.event());
                cursor = e.cursor();
            }
        }
        save();
    }

    @Override
    public void close() throws IOException {
        close(Duration.ofSeconds(5));
    }
}
