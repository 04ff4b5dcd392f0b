package dev.petrel.store.postgres;

import dev.petrel.mail.QueueId;
import dev.petrel.queue.ClaimSource;
import dev.petrel.queue.QueueException;
import dev.petrel.queue.Scheduler;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A serving node's share of the queue on PostgreSQL. It joins as a node, then one thread beats its heartbeat every
 * lease/3 (one statement for all its mail: a message's lease is its owner's), claims due mail that nobody delivers
 * every {@link #CLAIM_INTERVAL} and whenever a NOTIFY on {@link PgNodes#CHANNEL} says there is some (new mail of the
 * command line, a release, a node gone; a flush makes its own mail due first), and puts what it claimed on the
 * scheduler. Mail the node enqueues is its own already (see {@link PgQueueStore#enqueue}); a message stays its own
 * through its retries until it leaves the queue, is held, or the node leaves.
 */
final class PgClaims implements ClaimSource {

    /** How often a node looks for mail nobody delivers, NOTIFY or not. */
    static final Duration CLAIM_INTERVAL = Duration.ofSeconds(2);
    /** The most messages one claim takes; a full one is followed by another at once. */
    static final int MAX_CLAIM = 500;
    // the longest the thread waits for a notification before it looks at its clock again (and whether it stops)
    private static final int LISTEN_MILLIS = 250;
    private static final int MAX_ROUNDS = 20;

    private final PgQueueStore queue;
    private final String name;
    private final Duration lease;
    private final Clock clock;
    private final Consumer<String> log;
    private final Duration interval;
    private volatile Scheduler scheduler;
    private volatile boolean stopping;
    private Thread thread;
    private Connection listener;
    private boolean troubled;

    PgClaims(PgQueueStore queue, String name, Duration lease, Clock clock, Consumer<String> log) {
        this(queue, name, lease, clock, log, CLAIM_INTERVAL);
    }

    /** Claiming every {@code interval} without a NOTIFY (tests make it long, to see what NOTIFY does alone). */
    PgClaims(PgQueueStore queue, String name, Duration lease, Clock clock, Consumer<String> log, Duration interval) {
        this.interval = interval;
        this.queue = queue;
        this.name = name;
        this.lease = lease;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void start(Scheduler s) throws IOException {
        scheduler = s;
        join();
        log.accept("node " + name + " joined the queue's nodes as number " + queue.nodeNumber() + " (lease "
                + lease.toMillis() + "ms)");
        try {
            // listening before the first claim: mail that comes after it wakes this node
            connectListener();
        } catch (SQLException e) {
            throw new QueueException("PostgreSQL queue: cannot LISTEN: " + e.getMessage(), e);
        }
        claim();
        thread = Thread.ofPlatform().name("petrel-claims").daemon(true).start(this::run);
    }

    /**
     * Joins as node {@code name}. When a live node has the name, waits until its next heartbeat is due and looks
     * again: a node that beat meanwhile runs, and this one is refused; one that did not is gone (killed), and this
     * one takes its place (its mail goes to whoever claims it).
     */
    private void join() throws IOException {
        int me = queue.nodeNumber();
        PgNodes.Row other = queue.read(c -> PgNodes.join(c, me, name, lease));
        if (other != null) {
            log.accept("node " + name + ": node " + other.number() + " of this name beat " + other.age().toMillis()
                    + "ms ago; waiting to see whether it still runs");
            // until its next heartbeat is due (a third of its lease after its last one), and two seconds more
            Duration due = other.lease().dividedBy(3).minus(other.age());
            pause((due.isNegative() ? Duration.ZERO : due).plusSeconds(2));
            PgNodes.Row again = queue.read(c -> PgNodes.live(c, name, me));
            if (again != null && (again.number() != other.number() || again.heartbeat().isAfter(other.heartbeat()))) {
                throw PgNodes.duplicate(name, again);
            }
            if (again != null) {
                queue.read(c -> PgNodes.stopped(c, again.number()));
            }
            PgNodes.Row late = queue.read(c -> PgNodes.join(c, me, name, lease));
            if (late != null) {
                throw PgNodes.duplicate(name, late);
            }
        }
        queue.actAs(name);
    }

    private static void pause(Duration d) throws QueueException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while joining the queue's nodes", e);
        }
    }

    private void run() {
        long nextBeat = System.nanoTime() + lease.toNanos() / 3;
        long nextClaim = System.nanoTime() + interval.toNanos();
        while (!stopping) {
            try {
                boolean woken = listen();
                long now = System.nanoTime();
                if (now - nextBeat >= 0) {
                    beat();
                    nextBeat = now + lease.toNanos() / 3;
                }
                if (woken || now - nextClaim >= 0) {
                    claim();
                    nextClaim = now + interval.toNanos();
                }
                troubled = false;
            } catch (SQLException | IOException | RuntimeException e) {
                trouble(e);
            }
        }
        closeListener();
    }

    // waits a moment for notifications; true when one came (a flush makes this node's own mail due at once)
    private boolean listen() throws SQLException {
        if (listener == null) {
            connectListener();
            // what came while it did not listen is found by a claim now
            return true;
        }
        PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(LISTEN_MILLIS);
        if (got == null || got.length == 0) {
            return false;
        }
        for (PGNotification n : got) {
            if ("flush".equals(n.getParameter())) {
                scheduler.scheduleAllNow();
            }
        }
        return true;
    }

    private void connectListener() throws SQLException {
        Connection c = queue.source().getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + PgNodes.CHANNEL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        listener = c;
    }

    private void trouble(Exception e) {
        closeListener();
        if (!troubled) {
            log.accept("node " + name + ": the queue's database does not answer (" + e.getMessage()
                    + "); claims and heartbeats go on once it does");
            troubled = true;
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /**
     * Beats the heartbeat; when the one before was older than the lease (this process stood still, or the database
     * was away, that long), other nodes may have taken its mail: its schedule is made again from what it still owns.
     */
    void beat() throws IOException {
        switch (queue.read(c -> PgNodes.beat(c, queue.nodeNumber()))) {
            case FRESH -> { }
            case STALE -> {
                log.accept("node " + name + ": its heartbeat was older than its lease, so other nodes may have taken"
                        + " its mail; its schedule is made again from the mail it still owns");
                scheduler.clear();
                for (PgNodes.Claimed m : queue.read(c -> PgNodes.owned(c, queue.nodeNumber()))) {
                    scheduler.schedule(m.id(), m.due());
                }
                claim();
            }
            case REPLACED -> {
                log.accept("node " + name + ": another node of this name took its place while it stood still; it"
                        + " delivers nothing more, and the mail it takes in goes to the other nodes (restart it)");
                scheduler.clear();
                queue.actAs(null);
                stopping = true;
            }
        }
    }

    /** Claims the due mail nobody delivers, onto the schedule; how many messages it took. */
    int claim() throws IOException {
        int total = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long soon = PgQueueRows.nanos(clock.instant().plus(CLAIM_INTERVAL));
            List<PgNodes.Claimed> got = queue.read(c -> PgNodes.claim(c, queue.nodeNumber(), soon, MAX_CLAIM));
            for (PgNodes.Claimed m : got) {
                scheduler.schedule(m.id(), m.due());
            }
            total += got.size();
            if (got.size() < MAX_CLAIM) {
                break;
            }
        }
        return total;
    }

    @Override
    public void released(QueueId id, Instant due) {
        // the release woke every node (PgQueueRows): whichever claims it first delivers it
    }

    @Override
    public int flush() {
        scheduler.scheduleAllNow();
        try {
            return queue.cluster().flush();
        } catch (IOException e) {
            log.accept("node " + name + ": the other nodes were not told of the flush: " + e.getMessage());
            return scheduler.size();
        }
    }

    @Override
    public void stop(Set<QueueId> inFlight) {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            int handed = queue.read(c -> PgNodes.leave(c, queue.nodeNumber(), inFlight));
            queue.actAs(null);
            log.accept("node " + name + " left the queue's nodes: " + handed + " message(s) handed over"
                    + (inFlight.isEmpty() ? "" : ", " + inFlight.size() + " in flight kept until its lease runs out"));
        } catch (IOException e) {
            log.accept("node " + name + ": could not hand its mail over (" + e.getMessage()
                    + "); other nodes take it once its lease runs out");
        }
    }

    private void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (SQLException e) {
                // a broken connection: nothing of it is kept
            }
            listener = null;
        }
    }
}
