package dev.petrel.milter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts the filter's byte stream into packets. Fed whatever the socket gave; {@link #next} returns a whole packet
 * once its octets are all there. A length over the limit, or of zero (no code), breaks the protocol.
 */
public final class PacketDecoder {

    /** The largest packet taken by default: libmilter's largest (MILTER_MAX_DATA_SIZE of 512 KiB) and some. */
    public static final int DEFAULT_MAX_PACKET = 1024 * 1024;

    private final int maxPacket;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public PacketDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    public PacketDecoder() {
        this(DEFAULT_MAX_PACKET);
    }

    public void feed(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
    }

    /** The next whole packet, or null until more octets come. */
    public Packet next() {
        byte[] buffered = pending.toByteArray();
        if (buffered.length < 4) {
            return null;
        }
        int length = ByteBuffer.wrap(buffered, 0, 4).getInt();
        if (length < 1 || length > maxPacket) {
            throw new MilterException("packet length " + Integer.toUnsignedString(length) + " out of range 1.."
                    + maxPacket);
        }
        if (buffered.length < 4 + length) {
            return null;
        }
        Packet p = new Packet((char) (buffered[4] & 0xff), Arrays.copyOfRange(buffered, 5, 4 + length));
        pending.reset();
        pending.write(buffered, 4 + length, buffered.length - 4 - length);
        return p;
    }
}
