package dev.petrel.queue;

import dev.petrel.mail.Domain;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Which queued messages an operator means: by state, by a recipient's domain still to deliver, by sender, by
 * age. A null part matches everything; the empty filter matches every message.
 *
 * @param domain a domain one of the pending recipients is at
 * @param sender the envelope sender, compared without regard to case ("" for the null sender)
 * @param olderThan only messages that arrived at least this long ago
 * @param youngerThan only messages that arrived less than this long ago
 */
public record QueueFilter(State state, Domain domain, String sender, Duration olderThan, Duration youngerThan) {

    public static final QueueFilter ALL = new QueueFilter(null, null, null, null, null);

    /** Where a message is, in the words of Postfix's queues. */
    public enum State {
        /** Not tried yet, or due now. */
        ACTIVE,
        /** Tried, and waiting for its next attempt. */
        DEFERRED,
        /** Kept from delivery until released. */
        HOLD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(QueuedMessage m) {
            return m.held() ? HOLD : m.state().attempts() > 0 ? DEFERRED : ACTIVE;
        }

        public static State parse(String text) {
            for (State s : values()) {
                if (s.label().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("expected active, deferred or hold, got \"" + text + "\"");
        }
    }

    public boolean isEmpty() {
        return equals(ALL);
    }

    public boolean matches(QueuedMessage m, Instant now) {
        Duration age = Duration.between(m.arrival(), now);
        return (state == null || State.of(m) == state)
                && (domain == null || m.pending().stream().anyMatch(p -> p.recipient().address().domain().equals(domain)))
                && (sender == null || m.envelope().reversePath().toString().equalsIgnoreCase(sender))
                && (olderThan == null || age.compareTo(olderThan) >= 0)
                && (youngerThan == null || age.compareTo(youngerThan) < 0);
    }
}
