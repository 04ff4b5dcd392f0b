package dev.petrel.queue;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal's form of events: an EVENTS record holds a count, then each event as its kind, its time and its
 * fields in a fixed order. Strings carry their length in four octets, so no field has a size limit of its own.
 * Kinds are only ever added at the end, so that every journal ever written still reads: a deferred or bounced
 * recipient is written as {@code CLASSIFIED_DEFERRED} or {@code CLASSIFIED_BOUNCED}, with its bounce class after the
 * fields of the older {@code DEFERRED} and {@code BOUNCED}, which read back as undetermined.
 */
final class EventCodec {

    private enum Kind {
        // the journal keeps each event's kind by its place here: new kinds go at the end
        QUEUED, DELIVERED, DEFERRED, BOUNCED, EXPIRED, HELD, RELEASED, REMOVED, REJECTED, FLUSHED, COMPLAINED,
        UNSUBSCRIBED, SUPPRESSED, CLASSIFIED_DEFERRED, CLASSIFIED_BOUNCED, REJECTED_IN_CONTEXT, STREAM_PAUSED
    }

    private EventCodec() {}

    static byte[] encode(List<? extends MailEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 * events.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(events.size());
            for (MailEvent e : events) {
                write(out, e);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static List<MailEvent> decode(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 10_000_000) {
            throw new IOException("bad event count " + count);
        }
        List<MailEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(read(in));
        }
        return out;
    }

    private static void write(DataOutputStream out, MailEvent event) throws IOException {
        Kind kind = switch (event) {
            case MailEvent.Queued q -> Kind.QUEUED;
            case MailEvent.Delivered d -> Kind.DELIVERED;
            case MailEvent.Deferred d -> Kind.CLASSIFIED_DEFERRED;
            case MailEvent.Bounced b -> Kind.CLASSIFIED_BOUNCED;
            case MailEvent.Expired x -> Kind.EXPIRED;
            case MailEvent.Held h -> Kind.HELD;
            case MailEvent.Released r -> Kind.RELEASED;
            case MailEvent.Removed r -> Kind.REMOVED;
            // a refusal of the send policy carries its reason and context; the SMTP server's keep their old form
            case MailEvent.Rejected r -> r.reason() == null && r.context().isEmpty() ? Kind.REJECTED
                    : Kind.REJECTED_IN_CONTEXT;
            case MailEvent.Flushed f -> Kind.FLUSHED;
            case MailEvent.Complained c -> Kind.COMPLAINED;
            case MailEvent.Unsubscribed u -> Kind.UNSUBSCRIBED;
            case MailEvent.Suppressed s -> Kind.SUPPRESSED;
            case MailEvent.StreamPaused p -> Kind.STREAM_PAUSED;
        };
        out.writeByte(kind.ordinal());
        out.writeLong(event.time().getEpochSecond());
        out.writeInt(event.time().getNano());
        switch (event) {
            case MailEvent.Queued q -> {
                head(out, q.id(), q.context());
                strings(out, q.from(), q.client(), q.user());
                out.writeLong(q.size());
                out.writeInt(q.recipients());
                out.writeBoolean(q.held());
                map(out, q.authentication());
            }
            case MailEvent.Failure f -> {
                outcome(out, f.id(), f.context(), f.to(), f.relay(), f.delay(), f.dsn(), f.reply());
                string(out, f.bounceClass().label());
            }
            case MailEvent.Delivered d ->
                    outcome(out, d.id(), d.context(), d.to(), d.relay(), d.delay(), d.dsn(), d.reply());
            case MailEvent.Expired x -> outcome(out, x.id(), x.context(), x.to(), null, x.delay(), x.dsn(), null);
            case MailEvent.Held h -> head(out, h.id(), h.context());
            case MailEvent.Released r -> head(out, r.id(), r.context());
            case MailEvent.Removed r -> head(out, r.id(), r.context());
            case MailEvent.Rejected r -> {
                strings(out, r.client(), r.stage(), r.from(), r.to(), r.reply());
                if (r.reason() != null || !r.context().isEmpty()) {
                    string(out, r.reason());
                    writeContext(out, r.context());
                }
            }
            case MailEvent.Flushed f -> out.writeInt(f.messages());
            case MailEvent.Complained c -> {
                head(out, c.id(), c.context());
                strings(out, c.to(), c.feedbackType(), c.reporter());
            }
            case MailEvent.Unsubscribed u -> {
                head(out, u.id(), u.context());
                strings(out, u.to());
            }
            case MailEvent.Suppressed s -> {
                strings(out, s.to(), s.reason(), s.reply());
                writeContext(out, s.context());
            }
            case MailEvent.StreamPaused p -> {
                strings(out, p.reason(), p.text());
                writeContext(out, p.context());
            }
        }
    }

    private static MailEvent read(DataInputStream in) throws IOException {
        int ordinal = in.readUnsignedByte();
        if (ordinal >= Kind.values().length) {
            throw new IOException("unknown event kind " + ordinal);
        }
        Kind kind = Kind.values()[ordinal];
        Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
        return switch (kind) {
            case QUEUED -> {
                QueueId id = new QueueId(string(in));
                SendContext context = readContext(in);
                String from = string(in);
                String client = string(in);
                String user = string(in);
                long size = in.readLong();
                int recipients = in.readInt();
                boolean held = in.readBoolean();
                yield new MailEvent.Queued(time, id, from, size, recipients, client, user, map(in), held, context);
            }
            case DELIVERED, DEFERRED, BOUNCED, EXPIRED, CLASSIFIED_DEFERRED, CLASSIFIED_BOUNCED ->
                    outcome(in, kind, time);
            case HELD -> new MailEvent.Held(time, new QueueId(string(in)), readContext(in));
            case RELEASED -> new MailEvent.Released(time, new QueueId(string(in)), readContext(in));
            case REMOVED -> new MailEvent.Removed(time, new QueueId(string(in)), readContext(in));
            case REJECTED -> new MailEvent.Rejected(time, string(in), string(in), string(in), string(in), string(in));
            case REJECTED_IN_CONTEXT -> new MailEvent.Rejected(time, string(in), string(in), string(in), string(in),
                    string(in), string(in), readContext(in));
            case FLUSHED -> new MailEvent.Flushed(time, in.readInt());
            case COMPLAINED -> {
                QueueId id = new QueueId(string(in));
                SendContext context = readContext(in);
                yield new MailEvent.Complained(time, id, string(in), string(in), string(in), context);
            }
            case UNSUBSCRIBED -> {
                QueueId id = new QueueId(string(in));
                SendContext context = readContext(in);
                yield new MailEvent.Unsubscribed(time, id, string(in), context);
            }
            case SUPPRESSED -> new MailEvent.Suppressed(time, string(in), string(in), string(in), readContext(in));
            case STREAM_PAUSED -> new MailEvent.StreamPaused(time, string(in), string(in), readContext(in));
        };
    }

    private static void head(DataOutputStream out, QueueId id, SendContext context) throws IOException {
        string(out, id.value());
        writeContext(out, context);
    }

    /** A send context as events carry it: tenant, stream and tag, then the metadata; the queue's records too. */
    static void writeContext(DataOutputStream out, SendContext context) throws IOException {
        strings(out, context.tenant(), context.stream(), context.tag());
        map(out, context.metadata());
    }

    static SendContext readContext(DataInputStream in) throws IOException {
        String tenant = string(in);
        String stream = string(in);
        String tag = string(in);
        Map<String, String> metadata = map(in);
        return tenant == null && stream == null && tag == null && metadata.isEmpty()
                ? SendContext.EMPTY : new SendContext(tenant, stream, tag, metadata);
    }

    private static void outcome(DataOutputStream out, QueueId id, SendContext context, String to, String relay,
                                Duration delay, String dsn, String reply) throws IOException {
        head(out, id, context);
        strings(out, to, relay, dsn, reply);
        out.writeLong(delay.toNanos());
    }

    private static MailEvent outcome(DataInputStream in, Kind kind, Instant time) throws IOException {
        QueueId id = new QueueId(string(in));
        SendContext context = readContext(in);
        String to = string(in);
        String relay = string(in);
        String dsn = string(in);
        String reply = string(in);
        Duration delay = Duration.ofNanos(in.readLong());
        return switch (kind) {
            case DELIVERED -> new MailEvent.Delivered(time, id, to, relay, delay, dsn, reply, context);
            // written before recipients had a bounce class
            case DEFERRED -> new MailEvent.Deferred(time, id, to, relay, delay, dsn, reply, BounceClass.UNDETERMINED,
                    context);
            case BOUNCED -> new MailEvent.Bounced(time, id, to, relay, delay, dsn, reply, BounceClass.UNDETERMINED,
                    context);
            case CLASSIFIED_DEFERRED -> new MailEvent.Deferred(time, id, to, relay, delay, dsn, reply,
                    bounceClass(in), context);
            case CLASSIFIED_BOUNCED -> new MailEvent.Bounced(time, id, to, relay, delay, dsn, reply, bounceClass(in),
                    context);
            default -> new MailEvent.Expired(time, id, to, delay, dsn, context);
        };
    }

    // a label this version does not know (one a later version added) reads as undetermined
    private static BounceClass bounceClass(DataInputStream in) throws IOException {
        String label = string(in);
        try {
            return BounceClass.parse(label);
        } catch (IllegalArgumentException e) {
            return BounceClass.UNDETERMINED;
        }
    }

    private static void map(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            strings(out, e.getKey(), e.getValue());
        }
    }

    private static Map<String, String> map(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > 100_000) {
            throw new IOException("bad map size " + size);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            out.put(string(in), string(in));
        }
        return out;
    }

    private static void strings(DataOutputStream out, String... values) throws IOException {
        for (String v : values) {
            string(out, v);
        }
    }

    // -1 for null, else the length of the UTF-8 octets that follow
    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < -1 || length > RecordCodec.MAX_PAYLOAD) {
            throw new IOException("bad string length " + length);
        }
        return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
