package dev.petrel.store.postgres;

import dev.petrel.queue.QueueException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Writes the queue's changes for many callers in one transaction and one commit, as the journal's group committer
 * shares one fsync: callers queue their writes and wait; one thread takes everything queued so far, runs it on its
 * own connection, commits once, and wakes them all. While one commit waits for PostgreSQL's log to reach the disk,
 * the next group gathers. When a group fails, each of its writes is tried again alone, so one bad write (a duplicate
 * id) fails only its own caller; when the connection is gone, the group fails and the next one connects again.
 */
final class PgCommitter implements AutoCloseable {

    /** One caller's statements, run in the group's transaction; what they return is the caller's answer. */
    @FunctionalInterface
    interface Write<T> {
        T run(PgSession session) throws SQLException;
    }

    /** A write's progress: run (its answer known), then committed. */
    record Ticket<T>(CompletableFuture<T> executed, CompletableFuture<Void> committed) {}

    private record Pending(Write<?> write, boolean durable, CompletableFuture<Object> executed,
                           CompletableFuture<Void> committed) {}

    private static final Pending STOP = new Pending(null, false, null, null);
    /** The most writes in one transaction. */
    static final int MAX_GROUP = 512;

    private final DataSource source;
    private final LongConsumer committedEvents;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile long groups;
    private volatile long writes;
    private PgSession session;

    /** Told of each commit: how many writes it carried, and how long the commit itself took. */
    @FunctionalInterface
    interface Observer {
        void committed(int writes, long nanos);
    }

    private final Observer observer;

    /** Commits on connections from {@code source}; tells {@code committedEvents} the last event of each commit. */
    PgCommitter(DataSource source, LongConsumer committedEvents, Observer observer) {
        this.source = source;
        this.committedEvents = committedEvents;
        this.observer = observer;
        this.thread = Thread.ofPlatform().name("petrel-queue-pg-commit").daemon(true).start(this::run);
    }

    /**
     * Queues a write; its ticket says when it ran and when it was committed (or failed). A group of writes none of
     * which is {@code durable} (the removal of a delivered message, an event nobody waits for) commits without
     * waiting for the disk: PostgreSQL's WAL writer puts it there within a fraction of a second, and a crash of
     * PostgreSQL's machine before then only brings a delivered message back, to be delivered again. A crash of Petrel
     * loses nothing of it.
     */
    @SuppressWarnings("unchecked")
    <T> Ticket<T> submit(Write<T> write, boolean durable) {
        CompletableFuture<Object> executed = new CompletableFuture<>();
        CompletableFuture<Void> committed = new CompletableFuture<>();
        if (!thread.isAlive()) {
            QueueException closed = new QueueException("queue is closed");
            executed.completeExceptionally(closed);
            committed.completeExceptionally(closed);
        } else {
            pending.add(new Pending(write, durable, executed, committed));
            if (!thread.isAlive()) {
                failRemaining();
            }
        }
        return new Ticket<>((CompletableFuture<T>) (CompletableFuture<?>) executed, committed);
    }

    /** Writes and commits since the start: their ratio is the size of the average group. */
    long[] counts() {
        return new long[] {writes, groups};
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                group.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(group, MAX_GROUP - 1);
            boolean stop = group.remove(STOP);
            if (!group.isEmpty()) {
                commit(group);
            }
            group.clear();
            if (stop) {
                failRemaining();
                closeSession();
                return;
            }
        }
    }

    private void commit(List<Pending> group) {
        try {
            runAndCommit(group);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            if (group.size() > 1 && session != null && session.usable()) {
                // one write may have failed the rest: each alone, so only it fails
                for (Pending p : group) {
                    commit(List.of(p));
                }
                return;
            }
            if (session != null && !session.usable()) {
                closeSession();
            }
            QueueException failure = new QueueException("PostgreSQL queue: " + e.getMessage(), e);
            for (Pending p : group) {
                p.executed().completeExceptionally(failure);
                p.committed().completeExceptionally(failure);
            }
        }
    }

    private void runAndCommit(List<Pending> group) throws SQLException {
        if (session == null) {
            session = PgSession.open(source);
        }
        if (group.stream().noneMatch(Pending::durable)) {
            session.lazily();
        }
        // the feed's lock before any row's: two processes' groups never wait for each other in a circle
        session.lockFeed();
        for (Pending p : group) {
            Object answer = p.write().run(session);
            // the caller that need not wait for the commit learns its answer now
            p.executed().complete(answer);
        }
        long start = System.nanoTime();
        long lastEvent = session.commit();
        observer.committed(group.size(), System.nanoTime() - start);
        groups++;
        writes += group.size();
        if (lastEvent > 0) {
            committedEvents.accept(lastEvent);
        }
        for (Pending p : group) {
            p.committed().complete(null);
        }
    }

    private void rollbackQuietly(Exception failure) {
        if (session == null) {
            return;
        }
        try {
            session.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private void failRemaining() {
        List<Pending> rest = new ArrayList<>();
        pending.drainTo(rest);
        QueueException closed = new QueueException("queue is closed");
        for (Pending p : rest) {
            if (p != STOP) {
                p.executed().completeExceptionally(closed);
                p.committed().completeExceptionally(closed);
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
