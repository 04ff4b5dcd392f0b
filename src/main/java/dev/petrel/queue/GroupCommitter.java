package dev.petrel.queue;

import dev.petrel.event.MailEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes journal records for many sessions with one fsync. Callers queue records and wait; a single thread
 * takes everything queued so far, writes it, forces it to disk once, and then wakes all of those callers.
 * While one fsync runs, the next batch gathers, so the more sessions there are, the fewer fsyncs each costs.
 * A record nobody waits for ({@link #submitUnforced}) is written in the order it came, with the next batch, and
 * is on disk after the next fsync; a batch of such records alone is written without one, and when nothing else
 * comes within {@link #IDLE_SYNC_MILLIS} they are synced then, so the events they carry do not wait long to be read.
 */
final class GroupCommitter implements AutoCloseable {

    /** Where batches go: appends the records, and forces them to stable storage when asked. */
    interface Journal {
        /**
         * Writes the records in order and returns their start positions (segment and offset); with {@code force},
         * only once they and every record before them are durable.
         */
        List<Position> append(List<Write> writes, boolean force) throws IOException;

        /** Forces what was written without an fsync to stable storage. */
        void sync() throws IOException;
    }

    /** A record, as the parts written one after the other, and the events it holds, in order. */
    record Write(ByteBuffer[] parts, List<MailEvent> events) {}

    record Position(long segment, long offset) {}

    private record Pending(Write write, CompletableFuture<Position> done) {}

    private static final Pending STOP = new Pending(null, null);

    /** How long unsynced records wait for a batch that would sync them anyway. */
    static final long IDLE_SYNC_MILLIS = 10;

    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Journal journal;
    private final BatchObserver batchObserver;
    private final Thread thread;

    /** Told of every batch written: how many records, and whether it was forced to disk. */
    interface BatchObserver {
        void written(int records, boolean forced);
    }

    GroupCommitter(Journal journal, BatchObserver batchObserver) {
        this.journal = journal;
        this.batchObserver = batchObserver;
        this.thread = Thread.ofPlatform().name("petrel-queue-commit").daemon(true).start(this::run);
    }

    /** Queues a record; the future completes with its position once it is on disk, or fails. */
    CompletableFuture<Position> submit(ByteBuffer[] record, List<MailEvent> events) {
        CompletableFuture<Position> done = new CompletableFuture<>();
        if (!thread.isAlive()) {
            done.completeExceptionally(new QueueException("queue is closed"));
            return done;
        }
        pending.add(new Pending(new Write(record, events), done));
        if (!thread.isAlive()) {
            // closed between the check above and the add: nobody will take it
            failRemaining();
        }
        return done;
    }

    /**
     * Queues a record that nobody waits for: written after every record queued before it, durable once a later
     * batch has been forced (or the journal closed). For changes whose loss in a crash only repeats work, such as
     * the removal of a delivered message.
     */
    void submitUnforced(ByteBuffer[] record, List<MailEvent> events) throws QueueException {
        if (!thread.isAlive()) {
            throw new QueueException("queue is closed");
        }
        pending.add(new Pending(new Write(record, events), null));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        boolean unsynced = false;
        while (true) {
            try {
                Pending next = unsynced ? pending.poll(IDLE_SYNC_MILLIS, TimeUnit.MILLISECONDS) : pending.take();
                if (next == null) {
                    sync();
                    unsynced = false;
                    continue;
                }
                batch.add(next);
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(batch);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                unsynced = commit(batch);
            }
            batch.clear();
            if (stop) {
                failRemaining();
                return;
            }
        }
    }

    private void sync() {
        try {
            journal.sync();
        } catch (IOException | RuntimeException e) {
            // the journal cut the unsynced records off; as after a crash, their work is done again
        }
    }

    // true when records were written but not synced
    private boolean commit(List<Pending> batch) {
        List<Write> records = new ArrayList<>(batch.size());
        boolean force = false;
        for (Pending p : batch) {
            records.add(p.write());
            force |= p.done() != null;
        }
        try {
            List<Position> positions = journal.append(records, force);
            batchObserver.written(batch.size(), force);
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<Position> done = batch.get(i).done();
                if (done != null) {
                    done.complete(positions.get(i));
                }
            }
            return !force;
        } catch (IOException | RuntimeException e) {
            // an unforced record that could not be written is lost: as after a crash, its work is done again
            for (Pending p : batch) {
                if (p.done() != null) {
                    p.done().completeExceptionally(e);
                }
            }
            return false;
        }
    }

    private void failRemaining() {
        List<Pending> rest = new ArrayList<>();
        pending.drainTo(rest);
        for (Pending p : rest) {
            if (p != STOP && p.done() != null) {
                p.done().completeExceptionally(new QueueException("queue is closed"));
            }
        }
    }

    @Override
    public void close() {
        pending.add(STOP);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
