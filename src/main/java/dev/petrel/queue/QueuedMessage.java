package dev.petrel.queue;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.SendContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the queue knows of a message besides its content.
 *
 * @param context who sent it and on which stream (tenant, stream, tag, metadata): every event of the message
 *                carries it, and delivery chooses the stream's egress by it; empty for mail without a tenant
 */
public record QueuedMessage(QueueId id, Instant arrival, Envelope envelope, long size, boolean held, DeliveryState state,
                            SendContext context) {

    public QueuedMessage {
        context = context == null ? SendContext.EMPTY : context;
    }

    /** A message as accepted: nothing delivered yet, due at once. */
    public QueuedMessage(QueueId id, Instant arrival, Envelope envelope, long size, boolean held, SendContext context) {
        this(id, arrival, envelope, size, held, DeliveryState.initial(arrival), context);
    }

    /** A message as accepted, without a sending context. */
    public QueuedMessage(QueueId id, Instant arrival, Envelope envelope, long size, boolean held) {
        this(id, arrival, envelope, size, held, SendContext.EMPTY);
    }

    /** A message without a sending context, in this state. */
    public QueuedMessage(QueueId id, Instant arrival, Envelope envelope, long size, boolean held, DeliveryState state) {
        this(id, arrival, envelope, size, held, state, SendContext.EMPTY);
    }

    QueuedMessage withHeld(boolean newHeld) {
        return new QueuedMessage(id, arrival, envelope, size, newHeld, state, context);
    }

    QueuedMessage withState(DeliveryState newState) {
        return new QueuedMessage(id, arrival, envelope, size, held, newState, context);
    }

    /** The recipients not yet finished, with their indexes in the envelope. */
    public List<Pending> pending() {
        List<Pending> out = new ArrayList<>();
        List<Recipient> all = envelope.recipients();
        for (int i = 0; i < all.size(); i++) {
            if (!state.finished().contains(i)) {
                out.add(new Pending(i, all.get(i)));
            }
        }
        return out;
    }

    /** True when every recipient is finished and the message may leave the queue. */
    public boolean complete() {
        return state.finished().size() >= envelope.recipients().size();
    }

    /** A recipient still to deliver, and its index in the envelope. */
    public record Pending(int index, Recipient recipient) {}
}
