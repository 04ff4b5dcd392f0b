package dev.petrel.queue;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an operator does to the queue, by id or by filter: hold, release, delete, flush. The control socket (so
 * the command line) and the admin API both call these methods; each change is written with its event.
 */
public final class QueueActions {

    /** What the running delivery is told of the changes made here. */
    public interface Delivery {
        Delivery NONE = new Delivery() {
            @Override
            public int flush() {
                return 0;
            }

            @Override
            public void released(QueueId id) {}
        };

        /** Every queued message is due now; how many there are. */
        int flush();

        /** A message is out of hold: due at its recorded next attempt. */
        void released(QueueId id) throws IOException;
    }

    private final QueueStore queue;
    private final Delivery delivery;
    private final Clock clock;
    private final NodeStatus.Source nodes;

    public QueueActions(QueueStore queue, Delivery delivery, Clock clock) {
        this(queue, delivery, clock, NodeStatus.Source.NONE);
    }

    /** With the nodes that share the queue (on PostgreSQL), for the admin API's list of them. */
    public QueueActions(QueueStore queue, Delivery delivery, Clock clock, NodeStatus.Source nodes) {
        this.queue = queue;
        this.delivery = delivery;
        this.clock = clock;
        this.nodes = nodes;
    }

    /** The nodes that deliver from the queue, by name; none for the embedded journal. */
    public List<NodeStatus> nodes() throws IOException {
        return nodes.nodes();
    }

    /** The messages the filter matches, oldest first. */
    public List<QueuedMessage> list(QueueFilter filter) throws IOException {
        Instant now = clock.instant();
        return queue.list().stream().filter(m -> filter.matches(m, now)).toList();
    }

    public Optional<StoredMessage> read(QueueId id) throws IOException {
        return queue.read(id);
    }

    /** One message without its content. */
    public Optional<QueuedMessage> find(QueueId id) throws IOException {
        return queue.find(id);
    }

    /** False when there is no such message. */
    public boolean hold(QueueId id) throws IOException {
        Optional<SendContext> context = contextOf(id);
        return context.isPresent() && queue.apply(id, Change.of(new Change.Hold(),
                new MailEvent.Held(clock.instant(), id, context.get())));
    }

    public boolean release(QueueId id) throws IOException {
        Optional<SendContext> context = contextOf(id);
        boolean found = context.isPresent() && queue.apply(id, Change.of(new Change.Release(),
                new MailEvent.Released(clock.instant(), id, context.get())));
        if (found) {
            delivery.released(id);
        }
        return found;
    }

    /** Removes the message for good; it is on stable storage when this returns. */
    public boolean delete(QueueId id) throws IOException {
        Optional<SendContext> context = contextOf(id);
        return context.isPresent() && queue.apply(id, Change.of(new Change.Remove(true),
                new MailEvent.Removed(clock.instant(), id, context.get())));
    }

    // the message's events carry its context; empty when there is no such message
    private Optional<SendContext> contextOf(QueueId id) throws IOException {
        return queue.find(id).map(QueuedMessage::context);
    }

    /** Every queued message is due now; how many there are. */
    public int flush() {
        return delivery.flush();
    }

    /** One of the actions, to apply to every message a filter matches. */
    public enum Action {
        HOLD, RELEASE, DELETE
    }

    /** Applies the action to each message the filter matches; the ids it changed. */
    public List<QueueId> apply(Action action, QueueFilter filter) throws IOException {
        List<QueueId> changed = new ArrayList<>();
        for (QueuedMessage m : list(filter)) {
            boolean done = switch (action) {
                case HOLD -> !m.held() && hold(m.id());
                case RELEASE -> m.held() && release(m.id());
                case DELETE -> delete(m.id());
            };
            if (done) {
                changed.add(m.id());
            }
        }
        return changed;
    }
}
