package dev.petrel.event;

import java.io.IOException;
import java.util.Optional;

/**
 * A consumer of the {@link EventFeed} that runs in one process at a time: started while this process holds the
 * consumer's lock ({@link ConsumerLocks}), from the cursor saved last, and abandoned at once when the lock is lost,
 * saving nothing after that. Closed, it stops with a last save and then gives the lock back.
 *
 * @param <T> the consumer as it runs
 */
public final class SoleConsumer<T extends FeedConsumer> implements ConsumerLocks.Holder, AutoCloseable {

    /** Starts the consumer, its cursor kept in {@code cursors}. */
    @FunctionalInterface
    public interface Start<T> {
        T start(Cursors cursors) throws IOException;
    }

    private final String name;
    private final ConsumerLocks locks;
    private final Start<T> start;
    private T running;
    private boolean closed;

    private SoleConsumer(String name, ConsumerLocks locks, Start<T> start) {
        this.name = name;
        this.locks = locks;
        this.start = start;
    }

    /** Runs the consumer whenever this process holds its lock: at once, when it is free now. */
    public static <T extends FeedConsumer> SoleConsumer<T> start(String name, ConsumerLocks locks, Start<T> start)
            throws IOException {
        SoleConsumer<T> consumer = new SoleConsumer<>(name, locks, start);
        locks.watch(name, consumer);
        return consumer;
    }

    /** The consumer's name, its cursor's and its lock's. */
    public String name() {
        return name;
    }

    @Override
    public synchronized void taken(Cursors cursors) throws IOException {
        if (!closed && running == null) {
            running = start.start(cursors);
        }
    }

    @Override
    public synchronized void lost() {
        if (running != null) {
            running.abandon();
            running = null;
        }
    }

    /** True while the consumer runs in this process. */
    public synchronized boolean active() {
        return running != null;
    }

    /** The consumer, while it runs in this process. */
    public synchronized Optional<T> running() {
        return Optional.ofNullable(running);
    }

    /** Stops the consumer (its last cursor saved) and gives its lock back. */
    @Override
    public void close() throws IOException {
        try {
            synchronized (this) {
                closed = true;
                if (running != null) {
                    T stopping = running;
                    running = null;
                    stopping.close();
                }
            }
        } finally {
            locks.release(name);
        }
    }
}
