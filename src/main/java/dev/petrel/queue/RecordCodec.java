package dev.petrel.queue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The journal's record format. Each record is
 * {@code magic(4) type(1) length(4) crc32c(4) payload(length)}, the checksum covering type and payload, so a
 * record torn by a crash, or damaged on disk, is recognized and never read as a message.
 */
final class RecordCodec {

    static final int MAGIC = 0x50544c31; // "PTL1"
    static final int HEADER = 13;
    static final int MAX_PAYLOAD = 1 << 30;

    enum Type {
        MESSAGE(1), HOLD(2), RELEASE(3), DELETE(4), FINISH(5), SCHEDULE(6), NOTICED(7),
        /** A MESSAGE put on hold as it is stored: one record, so a crash never leaves it unheld. */
        HELD_MESSAGE(8),
        /** Whole records (each with its own frame) written as one: a change and its events, kept or lost together. */
        BATCH(9),
        /** Events (see EventCodec), numbered in the order the journal holds them. */
        EVENTS(10),
        /** The first record of a segment: the number the segment's first event gets. */
        START(11);

        final byte code;

        Type(int code) {
            this.code = (byte) code;
        }

        static Type of(byte code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        boolean isMessage() {
            return this == MESSAGE || this == HELD_MESSAGE;
        }
    }

    private RecordCodec() {}

    static ByteBuffer frame(Type type, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + payload.length);
        out.putInt(MAGIC).put(type.code).putInt(payload.length).putInt(checksum(type.code, payload, 0, payload.length));
        out.put(payload).flip();
        return out;
    }

    /**
     * One BATCH record of whole framed records, to be applied in order, as the parts to write one after the other:
     * its header, then the records themselves (not copied; a message's content is not moved again).
     */
    static ByteBuffer[] batch(List<ByteBuffer> frames) {
        ByteBuffer[] parts = new ByteBuffer[frames.size() + 1];
        CRC32C crc = new CRC32C();
        crc.update(Type.BATCH.code);
        int length = 0;
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer frame = frames.get(i).duplicate();
            length += frame.remaining();
            crc.update(frame.duplicate());
            parts[i + 1] = frame;
        }
        parts[0] = ByteBuffer.allocate(HEADER).putInt(MAGIC).put(Type.BATCH.code).putInt(length)
                .putInt((int) crc.getValue()).flip();
        return parts;
    }

    static ByteBuffer start(long firstEvent) {
        return frame(Type.START, ByteBuffer.allocate(8).putLong(firstEvent).array());
    }

    static int checksum(byte type, byte[] payload, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }

    /**
     * A framed MESSAGE record: id, arrival, envelope, the content's length, then the content, which is
     * {@code head} followed by {@code body} (both copied once, straight into the record), then the send context
     * unless it is empty (see {@link #contextTrailer}).
     */
    static ByteBuffer messageRecord(QueueId id, Instant arrival, Envelope envelope, SendContext context, byte[] head,
                                    byte[] body, boolean held) {
        Type type = held ? Type.HELD_MESSAGE : Type.MESSAGE;
        ByteArrayOutputStream meta = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(meta)) {
            out.writeUTF(id.value());
            out.writeLong(arrival.getEpochSecond());
            out.writeInt(arrival.getNano());
            writeEnvelope(out, envelope);
            out.writeInt(head.length + body.length);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        byte[] trailer = contextTrailer(context);
        int length = meta.size() + head.length + body.length + trailer.length;
        ByteBuffer record = ByteBuffer.allocate(HEADER + length);
        record.putInt(MAGIC).put(type.code).putInt(length).putInt(0);
        record.put(meta.toByteArray()).put(head).put(body).put(trailer);
        CRC32C crc = new CRC32C();
        crc.update(type.code);
        crc.update(record.array(), HEADER, length);
        record.putInt(9, (int) crc.getValue());
        return record.flip();
    }

    /**
     * What follows a message's content: nothing for an empty context (mail without a tenant costs no octet, and a
     * record written before contexts were kept reads as empty), else {@link #CONTEXT_FORMAT} and the context as
     * events write it. Code that knows no trailer reads the content by its length and never sees it.
     */
    static byte[] contextTrailer(SendContext context) {
        if (context.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CONTEXT_FORMAT);
            EventCodec.writeContext(out, context);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** The first octet of a message's context trailer: the form the rest has. */
    static final int CONTEXT_FORMAT = 1;

    /** A state payload (HOLD, RELEASE, DELETE): the id alone. */
    static byte[] state(QueueId id) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(id.value());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** A FINISH payload: the id and the indexes of the finished recipients. */
    static byte[] finish(QueueId id, Set<Integer> recipients) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 4 * recipients.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(id.value());
            out.writeInt(recipients.size());
            for (int index : recipients) {
                out.writeInt(index);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    static Set<Integer> readFinished(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 1_000_000) {
            throw new IOException("bad recipient count " + count);
        }
        Set<Integer> out = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            out.add(in.readInt());
        }
        return out;
    }

    /** A SCHEDULE payload: the id, the next attempt, the attempts made and the last error. */
    static byte[] schedule(QueueId id, Instant next, int attempts, String lastError) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(id.value());
            out.writeLong(next.getEpochSecond());
            out.writeInt(next.getNano());
            out.writeInt(attempts);
            writeNullable(out, lastError == null ? null : truncate(lastError));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Applies a SCHEDULE payload (after its id) to a state. */
    static DeliveryState readSchedule(DataInputStream in, DeliveryState state) throws IOException {
        Instant next = Instant.ofEpochSecond(in.readLong(), in.readInt());
        int attempts = in.readInt();
        return state.scheduled(next, attempts, readNullable(in));
    }

    // writeUTF takes at most 65535 encoded octets; an error text never needs that much
    private static String truncate(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    static QueueId readId(DataInputStream in) throws IOException {
        return new QueueId(in.readUTF());
    }

    /**
     * Reads a MESSAGE payload up to its content, which {@code in} is then positioned at; the context is not read
     * (empty in what this returns).
     */
    static QueuedMessage readMessageHead(DataInputStream in, boolean held) throws IOException {
        QueueId id = readId(in);
        Instant arrival = Instant.ofEpochSecond(in.readLong(), in.readInt());
        Envelope envelope = readEnvelope(in);
        int size = in.readInt();
        return new QueuedMessage(id, arrival, envelope, size, held);
    }

    /** Reads a whole MESSAGE payload, which is all {@code in} holds, but for its content: with its context. */
    static QueuedMessage readMessage(DataInputStream in, boolean held) throws IOException {
        QueuedMessage head = readMessageHead(in, held);
        in.skipNBytes(head.size());
        SendContext context = SendContext.EMPTY;
        if (in.available() > 0) {
            int format = in.readUnsignedByte();
            if (format != CONTEXT_FORMAT) {
                throw new IOException("unknown form " + format + " of a message's context");
            }
            context = EventCodec.readContext(in);
        }
        return new QueuedMessage(head.id(), head.arrival(), head.envelope(), head.size(), held, context);
    }

    private static void writeEnvelope(DataOutputStream out, Envelope e) throws IOException {
        writeNullable(out, e.reversePath().isNull() ? null : e.reversePath().address().toString());
        out.writeInt(e.recipients().size());
        for (Recipient r : e.recipients()) {
            out.writeUTF(r.address().toString());
            int bits = 0;
            for (Recipient.Notify n : r.notifyOn()) {
                bits |= 1 << n.ordinal();
            }
            out.writeByte(bits);
            writeNullable(out, r.orcpt());
        }
        out.writeByte(e.bodyType().ordinal() | (e.requireTls() ? REQUIRE_TLS : 0));
        out.writeBoolean(e.smtpUtf8());
        out.writeByte(e.ret().ordinal());
        writeNullable(out, e.envid());
        writeNullable(out, e.authenticatedUser());
        writeNullable(out, e.clientAddress());
        writeNullable(out, e.clientHelo());
    }

    private static Envelope readEnvelope(DataInputStream in) throws IOException {
        String sender = readNullable(in);
        int count = in.readInt();
        if (count < 1 || count > 1_000_000) {
            throw new IOException("bad recipient count " + count);
        }
        List<Recipient> recipients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Address address = Address.of(in.readUTF());
            int bits = in.readByte();
            Set<Recipient.Notify> notify = EnumSet.noneOf(Recipient.Notify.class);
            for (Recipient.Notify n : Recipient.Notify.values()) {
                if ((bits & (1 << n.ordinal())) != 0) {
                    notify.add(n);
                }
            }
            recipients.add(new Recipient(address, notify, readNullable(in)));
        }
        int bodyOctet = in.readUnsignedByte();
        Envelope.BodyType body = Envelope.BodyType.values()[bodyOctet & ~REQUIRE_TLS];
        boolean utf8 = in.readBoolean();
        Envelope.Ret ret = Envelope.Ret.values()[in.readByte()];
        return new Envelope(sender == null ? ReversePath.NULL : ReversePath.of(Address.of(sender)), recipients, body,
                utf8, ret, readNullable(in), readNullable(in), readNullable(in), readNullable(in),
                (bodyOctet & REQUIRE_TLS) != 0);
    }

    /**
     * RFC 8689's REQUIRETLS tag, kept in the high bit of the BODY octet, which the three BODY values never reach: a
     * record written before the tag was kept has the bit clear and reads as untagged, with no new record format.
     */
    static final int REQUIRE_TLS = 0x80;

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
