package dev.petrel.smtp;

import java.util.Arrays;

/** A growable byte array that takes decoded content, up to a limit the caller enforces. */
final class MessageBuffer implements DataDecoder.ByteSink {

    private byte[] bytes = new byte[8192];
    private int length;

    @Override
    public void write(byte[] source, int offset, int count) {
        if (length + count > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + count);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 16));
        }
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }
}
