package dev.petrel.queue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One node of those that share a queue (on PostgreSQL), as {@code petrel node list} and {@code GET /v1/nodes} show
 * it.
 *
 * @param number the number it took when it opened the queue: the tail of the queue ids it makes
 * @param age how long ago its last heartbeat was, by the database's clock
 * @param state {@code alive}, {@code stale} (its lease ran out: other nodes take its mail) or {@code stopped}
 * @param owned the messages it delivers
 */
public record NodeStatus(String name, int number, Instant started, Instant heartbeat, Duration age, String state,
                         long owned) {

    /** The nodes of a queue; none for the embedded journal, which one server delivers. */
    @FunctionalInterface
    public interface Source {
        Source NONE = List::of;

        List<NodeStatus> nodes() throws IOException;
    }
}
