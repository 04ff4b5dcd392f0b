package dev.petrel.queue;

import dev.petrel.mail.QueueId;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * Where a delivering process's {@link Scheduler} gets the mail it delivers. The embedded journal is delivered by
 * one server, which takes every queued message at its start ({@link #everything}); on a queue several nodes share,
 * each node delivers the mail it owns (what it enqueued, and what it claimed: mail nobody owns, and the mail of
 * nodes that stopped or whose lease ran out), and hands its own over when it stops.
 */
public interface ClaimSource {

    /** Puts this node's mail on the schedule, and keeps putting on what becomes its own until {@link #stop}. */
    void start(Scheduler scheduler) throws IOException;

    /** A message let out of hold: due at {@code due} here, or on whichever node claims it. */
    void released(QueueId id, Instant due) throws IOException;

    /** {@code petrel queue flush}: every node's mail due now; says how many messages wait (not held). */
    int flush();

    /**
     * Delivery has stopped: hands this node's mail over to the others, but for the messages whose attempts were
     * still running ({@code inFlight}), which stay this node's until its lease runs out.
     */
    void stop(Set<QueueId> inFlight);

    /** Every queued message, loaded once at the start: the journal's single server. */
    static ClaimSource everything(QueueView queue) {
        return new ClaimSource() {
            private Scheduler scheduler;

            @Override
            public void start(Scheduler s) throws IOException {
                scheduler = s;
                s.load(queue.list());
            }

            @Override
            public void released(QueueId id, Instant due) {
                scheduler.schedule(id, due);
            }

            @Override
            public int flush() {
                int messages = scheduler.size();
                scheduler.scheduleAllNow();
                return messages;
            }

            @Override
            public void stop(Set<QueueId> inFlight) {
                // the journal stays this process's until it closes
            }
        };
    }
}
