package dev.petrel.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Writes journal records for many sessions with one fsync. Callers queue records and wait; a single thread
 * takes everything queued so far, writes it, forces it to disk once, and then wakes all of those callers.
 * While one fsync runs, the next batch gathers, so the more sessions there are, the fewer fsyncs each costs.
 */
final class GroupCommitter implements AutoCloseable {

    /** Where batches go: appends the records and forces them to stable storage. */
    interface Journal {
        /** Writes the records in order and returns their start positions (segment and offset) once durable. */
        List<Position> appendDurably(List<ByteBuffer> records) throws IOException;
    }

    record Position(long segment, long offset) {}

    private record Pending(ByteBuffer record, CompletableFuture<Position> done) {}

    private static final Pending STOP = new Pending(null, null);

    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Journal journal;
    private final Consumer<Integer> batchObserver;
    private final Thread thread;

    GroupCommitter(Journal journal, Consumer<Integer> batchObserver) {
        this.journal = journal;
        this.batchObserver = batchObserver;
        this.thread = Thread.ofPlatform().name("petrel-queue-commit").daemon(true).start(this::run);
    }

    /** Queues a record; the future completes with its position once it is on disk, or fails. */
    CompletableFuture<Position> submit(ByteBuffer record) {
        CompletableFuture<Position> done = new CompletableFuture<>();
        if (!thread.isAlive()) {
            done.completeExceptionally(new QueueException("queue is closed"));
            return done;
        }
        pending.add(new Pending(record, done));
        if (!thread.isAlive()) {
            // closed between the check above and the add: nobody will take it
            failRemaining();
        }
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(batch);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
            if (stop) {
                failRemaining();
                return;
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<ByteBuffer> records = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            records.add(p.record());
        }
        try {
            List<Position> positions = journal.appendDurably(records);
            batchObserver.accept(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(positions.get(i));
            }
        } catch (IOException | RuntimeException e) {
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
        }
    }

    private void failRemaining() {
        List<Pending> rest = new ArrayList<>();
        pending.drainTo(rest);
        for (Pending p : rest) {
            if (p != STOP) {
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
