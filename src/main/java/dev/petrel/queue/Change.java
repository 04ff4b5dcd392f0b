package dev.petrel.queue;

import dev.petrel.event.MailEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one step of delivery or an operator changes in a queued message, with the events that report it: the
 * queue writes the change and its events in one record, so a crash keeps both or neither.
 */
public record Change(List<Step> steps, List<MailEvent> events) {

    /** One part of a change. */
    public sealed interface Step {}

    /** These recipients (indexes into the envelope) are finished: delivered, or failed and reported. */
    public record Finish(Set<Integer> recipients) implements Step {
        public Finish {
            recipients = Set.copyOf(recipients);
        }
    }

    /** The next attempt is due then; so many were made; the last failed so (or null). */
    public record Schedule(Instant next, int attempts, String lastError) implements Step {}

    /** The sender was told the message is delayed. */
    public record Noticed() implements Step {}

    public record Hold() implements Step {}

    public record Release() implements Step {}

    /**
     * The message leaves the queue. An operator's removal is {@code durable}: it is on stable storage when the
     * write returns. The removal of a delivered message is not waited for: a crash before the next fsync brings
     * the message back, to be delivered again, never lost.
     */
    public record Remove(boolean durable) implements Step {}

    public Change {
        steps = List.copyOf(steps);
        events = List.copyOf(events);
    }

    public static Change of(Step step, MailEvent... events) {
        return new Change(List.of(step), List.of(events));
    }

    /** True when the queue need not wait for this change to reach the disk (see {@link Remove}). */
    boolean unforced() {
        return steps.stream().anyMatch(s -> s instanceof Remove r && !r.durable());
    }

    /** Builds a change step by step. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private final List<MailEvent> events = new ArrayList<>();

        public Builder step(Step step) {
            steps.add(step);
            return this;
        }

        public Builder event(MailEvent event) {
            events.add(event);
            return this;
        }

        public boolean isEmpty() {
            return steps.isEmpty() && events.isEmpty();
        }

        public Change build() {
            return new Change(steps, events);
        }
    }
}
