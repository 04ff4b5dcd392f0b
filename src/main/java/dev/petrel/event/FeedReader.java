package dev.petrel.event;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Reads the {@link EventFeed} in order on a thread of its own and hands each event to a sink (or each batch read to
 * a {@link Batches}), saving its cursor at most once per {@code saveEvery} (and when stopped), so a restart goes on
 * where it was and may repeat what it did since the last save. {@link #abandon Abandoned} (its lock lost), it stops
 * without a save.
 */
public final class FeedReader implements FeedConsumer {

    /**
     * Takes the events a batch at a time (one write of a store for many events); what it wrote must be on disk once
     * {@link #durable} returns, since the reader saves its cursor past those events right after.
     */
    public interface Batches {
        /** The events read, in order; an empty list when there were none (while idle, about twice a second). */
        void handle(List<EventFeed.Entry> batch) throws IOException;

        /** Puts what the batches up to {@code cursor} wrote on disk. */
        default void durable(long cursor) throws IOException {}
    }

    private static final int BATCH = 512;
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);

    private final String name;
    private final EventFeed feed;
    private final Cursors cursors;
    private final Batches batches;
    private final Object progress = new Object();
    private final long saveEveryNanos;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile long cursor;
    private long saved;

    private FeedReader(String name, EventFeed feed, Cursors cursors, Batches batches, Duration saveEvery)
            throws IOException {
        this.name = name;
        this.feed = feed;
        this.cursors = cursors;
        this.batches = batches;
        this.saveEveryNanos = saveEvery.toNanos();
        this.cursor = cursors.load(name);
        this.saved = cursor;
        this.thread = Thread.ofPlatform().name("petrel-feed-" + name).daemon(true).unstarted(this::run);
    }

    /** Starts reading from the reader's saved cursor. */
    public static FeedReader start(String name, EventFeed feed, Cursors cursors, EventSink sink, Duration saveEvery)
            throws IOException {
        return start(name, feed, cursors, (Batches) batch -> batch.forEach(e -> sink.publish(e.event())), saveEvery);
    }

    /** Starts reading from the reader's saved cursor, handing on a batch at a time. */
    public static FeedReader start(String name, EventFeed feed, Cursors cursors, Batches batches, Duration saveEvery)
            throws IOException {
        FeedReader reader = new FeedReader(name, feed, cursors, batches, saveEvery);
        reader.thread.start();
        return reader;
    }

    /** Waits until every event up to {@code target} has been handed on, or the time is up; true when they have. */
    public boolean awaitCursor(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (cursor < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
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
                handOn(batch);
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

    // an empty batch too (about twice a second while idle), so a handler's upkeep runs on an idle server
    private void handOn(List<EventFeed.Entry> batch) throws IOException {
        batches.handle(batch);
        if (batch.isEmpty()) {
            return;
        }
        synchronized (progress) {
            cursor = batch.getLast().cursor();
            progress.notifyAll();
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
        if (at != saved && !abandoned) {
            batches.durable(at);
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
            handOn(batch);
        }
        save();
    }

    @Override
    public void close() throws IOException {
        close(Duration.ofSeconds(5));
    }

    /** Stops at once: what is not handed on yet stays for whoever reads on from the saved cursor; nothing is saved. */
    @Override
    public void abandon() {
        abandoned = true;
        stopping = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
