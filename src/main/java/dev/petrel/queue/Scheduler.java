package dev.petrel.queue;

import dev.petrel.mail.QueueId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Knows when each queued message is due and hands out those whose time has come. It owns only time: how fast
 * a destination may be sent to is the ready queues' business. A message is scheduled at most once; scheduling
 * it again moves its time.
 */
public final class Scheduler implements Arrivals {

    private record Due(Instant at, QueueId id) {}

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Due> heap = new PriorityQueue<>((a, b) -> {
        int c = a.at().compareTo(b.at());
        return c != 0 ? c : a.id().compareTo(b.id());
    });
    private final Map<QueueId, Instant> times = new HashMap<>();

    public Scheduler(Clock clock) {
        this.clock = clock;
    }

    /** Puts every message of a queue on the schedule at its recorded next attempt; held ones are left out. */
    public void load(List<QueuedMessage> messages) {
        for (QueuedMessage m : messages) {
            if (!m.held()) {
                schedule(m.id(), m.state().nextAttempt());
            }
        }
    }

    /** A message intake has just queued is due at once. */
    @Override
    public void arrived(QueueId id, Instant due) {
        schedule(id, due);
    }

    public void schedule(QueueId id, Instant at) {
        lock.lock();
        try {
            times.put(id, at);
            heap.add(new Due(at, id));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Due now, as for `petrel queue flush`. */
    public void scheduleAllNow() {
        lock.lock();
        try {
            Instant now = clock.instant();
            for (QueueId id : new ArrayList<>(times.keySet())) {
                times.put(id, now);
                heap.add(new Due(now, id));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void remove(QueueId id) {
        lock.lock();
        try {
            times.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every message: a node whose mail others may have taken makes its schedule again. */
    public void clear() {
        lock.lock();
        try {
            times.clear();
            heap.clear();
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return times.size();
        } finally {
            lock.unlock();
        }
    }

    /** The messages due by now, at most {@code max}, taken off the schedule; empty when none is. */
    public List<QueueId> takeDue(int max) {
        lock.lock();
        try {
            return drain(clock.instant(), max);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a message is due, or {@code maxWait} has passed, then takes up to {@code max} due messages.
     */
    public List<QueueId> awaitDue(int max, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lock();
        try {
            while (true) {
                Instant now = clock.instant();
                List<QueueId> due = drain(now, max);
                long left = deadline - System.nanoTime();
                if (!due.isEmpty() || left <= 0) {
                    return due;
                }
                Due first = peekLive();
                long untilFirst = first == null ? left : Duration.between(now, first.at()).toNanos();
                changed.await(Math.max(1_000_000, Math.min(left, untilFirst)), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<QueueId> drain(Instant now, int max) {
        List<QueueId> out = new ArrayList<>();
        Due d;
        while (out.size() < max && (d = peekLive()) != null && !d.at().isAfter(now)) {
            heap.poll();
            times.remove(d.id());
            out.add(d.id());
        }
        return out;
    }

    // entries whose message was removed or moved to another time are dropped when they come up
    private Due peekLive() {
        Due d;
        while ((d = heap.peek()) != null && !d.at().equals(times.get(d.id()))) {
            heap.poll();
        }
        return d;
    }
}
