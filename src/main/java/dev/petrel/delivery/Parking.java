package dev.petrel.delivery;

import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages of paused streams, off the schedule: a paused message costs no attempt and no write, and it does
 * not expire while it waits (as Postfix's hold queue keeps mail), so a pause that lasts a weekend bounces
 * nothing; its lifetime still counts from its arrival, so a message that outlived it expires at its first attempt
 * after the stream resumes. Every {@code refresh} the streams with parked mail are looked up again, and the mail
 * of those resumed is due at once: a running server notices a resume within about twice that time, with no
 * restart and nothing written per parked message. A restart parks them again at their first attempt.
 */
final class Parking implements AutoCloseable {

    private final Departures departures;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Duration refresh;
    // by stream (its context without tag and metadata); guarded by this
    private final Map<SendContext, Set<QueueId>> parked = new HashMap<>();
    private volatile Thread loop;

    Parking(Departures departures, Scheduler scheduler, Clock clock, Duration refresh) {
        this.departures = departures;
        this.scheduler = scheduler;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** Takes the message off the schedule until its stream is resumed. */
    synchronized void park(QueuedMessage m) {
        scheduler.remove(m.id());
        parked.computeIfAbsent(streamOf(m.context()), s -> new LinkedHashSet<>()).add(m.id());
    }

    /** Messages parked now. */
    synchronized int size() {
        return parked.values().stream().mapToInt(Set::size).sum();
    }

    private static SendContext streamOf(SendContext context) {
        return new SendContext(context.tenant(), context.stream(), null, Map.of());
    }

    /** Looks at every paused stream with parked mail once; the mail of those no longer paused is due now. */
    void check() {
        List<SendContext> streams;
        synchronized (this) {
            streams = new ArrayList<>(parked.keySet());
        }
        for (SendContext stream : streams) {
            if (!(departures.of(stream) instanceof Departure.Paused)) {
                resume(stream);
            }
        }
    }

    private void resume(SendContext stream) {
        Set<QueueId> due;
        synchronized (this) {
            due = parked.remove(stream);
        }
        if (due != null) {
            due.forEach(id -> scheduler.schedule(id, clock.instant()));
        }
    }

    void start() {
        loop = Thread.ofVirtual().name("petrel-parking").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(refresh);
                } catch (InterruptedException e) {
                    return;
                }
                check();
            }
        });
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }
}
