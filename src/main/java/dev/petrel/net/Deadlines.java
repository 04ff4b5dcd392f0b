package dev.petrel.net;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timeouts of RFC 5321 4.5.3.2 for blocking reads and writes, all checked by one thread a few times a
 * second. A connection waits on its socket without a timeout of its own: on a virtual thread, every wait with
 * {@code SO_TIMEOUT} arms a timer task and cancels it again, each time waking the timer thread, and under load
 * that cost about a fifth of the server's CPU time. Here a wait costs two volatile writes; a wait that outlasts
 * its deadline makes the checker hand the connection to its {@link Expiry}. Nothing here touches a socket:
 * the expiry does. The checker runs while there is something to watch, and stops by itself when there is not.
 */
public final class Deadlines implements AutoCloseable {

    /** After a reply on expiry, how long the peer may hold the connection before it is closed regardless. */
    public static final Duration GRACE = Duration.ofSeconds(10);

    // empty checks in a row before the checker stops; the next watch starts it again
    private static final int IDLE_TICKS = 20;

    /** What a connection does when a wait outlasts its deadline; each runs on a virtual thread of its own. */
    public interface Expiry {
        /** A read waited too long: the peer may be told so (421 from a server), then the connection closes. */
        void readExpired();

        /** A write or a silent wait took too long, or the peer held on after being told: close, without a word. */
        void close();

        /** A client's expiry: it has nobody to tell, so every wait that outlasts its deadline just closes. */
        static Expiry closing(Runnable close) {
            return new Expiry() {
                @Override
                public void readExpired() {
                    close();
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();
    private final long tickNanos;
    private final long graceNanos;
    private volatile boolean closed;
    private volatile Thread checker;

    /** @param tick how often deadlines are checked: a wait may outlast its deadline by up to this much */
    public Deadlines(Duration tick) {
        this(tick, GRACE);
    }

    Deadlines(Duration tick, Duration grace) {
        this.tickNanos = tick.toNanos();
        this.graceNanos = grace.toNanos();
    }

    /** A tick fine enough for the shortest of these timeouts: a quarter of it, between 10 ms and 1 s. */
    public static Duration tickFor(Duration... timeouts) {
        long shortest = Long.MAX_VALUE;
        for (Duration t : timeouts) {
            shortest = Math.min(shortest, t.toMillis());
        }
        return Duration.ofMillis(Math.clamp(shortest / 4, 10, 1000));
    }

    /** Watches one connection from now until {@link Watch#close}. */
    public Watch watch(Expiry expiry) {
        Watch w = new Watch(expiry);
        watches.add(w);
        if (!closed && running.compareAndSet(false, true)) {
            checker = Thread.ofPlatform().name("petrel-deadlines").daemon(true).start(this::run);
        }
        return w;
    }

    private void run() {
        int idle = 0;
        while (!closed) {
            try {
                Thread.sleep(Duration.ofNanos(tickNanos));
            } catch (InterruptedException e) {
                running.set(false);
                return;
            }
            long now = System.nanoTime();
            for (Watch w : watches) {
                w.check(now);
            }
            idle = watches.isEmpty() ? idle + 1 : 0;
            if (idle >= IDLE_TICKS) {
                running.set(false);
                // a watch added meanwhile may have found the checker still running: it is this one's then
                if (watches.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
                idle = 0;
            }
        }
        running.set(false);
    }

    /** Stops checking; for a server that shuts down. */
    @Override
    public void close() {
        closed = true;
        Thread t = checker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The waits of one connection, one at a time. */
    public final class Watch {
        private static final int IDLE = 0;
        private static final int READING = 1;
        private static final int WRITING = 2;
        private static final int SILENT = 3;
        private static final int FIRED = 4;

        private final Expiry expiry;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile long deadline;

        private Watch(Expiry expiry) {
            this.expiry = expiry;
        }

        /** A read that may wait up to {@code timeoutNanos} starts; on expiry the peer may be told. */
        public void reading(long timeoutNanos) {
            start(READING, timeoutNanos);
        }

        /** A write that may wait up to {@code timeoutNanos} starts; on expiry the connection just closes. */
        public void writing(long timeoutNanos) {
            start(WRITING, timeoutNanos);
        }

        /** A wait (a TLS handshake) that ends in silence on expiry starts. */
        public void silent(long timeoutNanos) {
            start(SILENT, timeoutNanos);
        }

        private void start(int kind, long timeoutNanos) {
            deadline = System.nanoTime() + timeoutNanos;
            // only after the deadline is set may the checker see the wait; nothing starts once it has fired
            state.compareAndSet(IDLE, kind);
        }

        /**
         * The wait is over. False when its deadline passed first: the connection belongs to its {@link Expiry}
         * now, and must neither read nor write again.
         */
        public boolean done() {
            int s = state.get();
            if (s == IDLE) {
                return true;
            }
            // fails only when the checker has just fired it
            return s != FIRED && state.compareAndSet(s, IDLE);
        }

        /** True once a deadline has passed. */
        public boolean fired() {
            return state.get() == FIRED;
        }

        /** The connection is closed: nothing more to watch. */
        public void close() {
            watches.remove(this);
        }

        private void check(long now) {
            int s = state.get();
            if (s == IDLE || now - deadline < 0) {
                return;
            }
            if (s == FIRED) {
                // told, and still not gone: close it now
                watches.remove(this);
                Thread.ofVirtual().name("deadline-close").start(expiry::close);
                return;
            }
            if (!state.compareAndSet(s, FIRED)) {
                return;
            }
            deadline = now + graceNanos;
            if (s == READING) {
                Thread.ofVirtual().name("deadline-reply").start(expiry::readExpired);
            } else {
                watches.remove(this);
                Thread.ofVirtual().name("deadline-close").start(expiry::close);
            }
        }
    }
}
