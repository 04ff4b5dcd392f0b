package dev.petrel.milter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One milter packet: a command (or reply) code and its data. On the wire it is a 32-bit length in network order
 * (counting the code and the data), the code, then the data.
 */
public record Packet(char code, byte[] data) {

    public Packet {
        data = data.clone();
    }

    public static Packet of(char code) {
        return new Packet(code, new byte[0]);
    }

    /** A packet whose data is each string followed by a NUL, as the protocol writes its strings. */
    public static Packet strings(char code, String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            out.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return new Packet(code, out.toByteArray());
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    /** The packet as it goes on the wire. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(5 + data.length);
        b.putInt(1 + data.length).put((byte) code).put(data);
        return b.array();
    }

    /** The data read as NUL-terminated strings from {@code offset} (a last string without its NUL is taken too). */
    public List<String> strings(int offset) {
        List<String> out = new ArrayList<>();
        int start = offset;
        for (int i = offset; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < data.length) {
            out.add(new String(data, start, data.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The 32-bit number in network order at {@code offset}. */
    public int integer(int offset) {
        if (offset + 4 > data.length) {
            throw new MilterException("'" + code + "' packet too short for a number at " + offset);
        }
        return ByteBuffer.wrap(data, offset, 4).getInt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && p.code == code && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Packet[" + code + ", " + data.length + " octets]";
    }
}
