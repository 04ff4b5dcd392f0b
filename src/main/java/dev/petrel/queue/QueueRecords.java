package dev.petrel.queue;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * The journal's binary forms of a message's description (id, exact arrival, envelope, send context) and of events,
 * for a queue kept elsewhere (PostgreSQL): one form for both, so a field added to the envelope or an event reaches
 * every queue at once, and an instant keeps its nanoseconds.
 */
public final class QueueRecords {

    private QueueRecords() {}

    /** What a message is besides its content and its state: a MESSAGE payload without content. */
    public static byte[] description(QueueId id, Instant arrival, Envelope envelope, SendContext context) {
        ByteBuffer record = RecordCodec.messageRecord(id, arrival, envelope, context, new byte[0], new byte[0], false);
        byte[] payload = new byte[record.remaining() - RecordCodec.HEADER];
        record.position(RecordCodec.HEADER).get(payload);
        return payload;
    }

    /** A message from its {@link #description}, its content's size, whether it is held, and its state. */
    public static QueuedMessage message(byte[] description, long size, boolean held, DeliveryState state)
            throws IOException {
        QueuedMessage m = RecordCodec.readMessage(new DataInputStream(new ByteArrayInputStream(description)), held);
        return new QueuedMessage(m.id(), m.arrival(), m.envelope(), size, held, state, m.context());
    }

    /** Events in the journal's form. */
    public static byte[] events(List<? extends MailEvent> events) {
        return EventCodec.encode(events);
    }

    public static List<MailEvent> events(byte[] bytes) throws IOException {
        return EventCodec.decode(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
