package dev.petrel.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Buffered reading of command lines and raw content from a socket's stream. A line ends at LF (a CR before
 * it is dropped); a line longer than the limit is read to its end and reported as too long, never kept.
 * What was buffered can be thrown away, as after STARTTLS (CVE-2011-0411).
 *
 * <p>An idle connection costs its buffer: it starts small (commands are short) and grows to {@link #LARGE} only
 * when a read fills it (a message's content, a pipelined burst), and shrinks again once it is drained at a
 * command's end, so ten thousand idle sessions hold a few hundred octets each, not 16 KiB.
 */
final class LineInput {

    /** Returned by {@link #readLine} for a line over the limit. */
    static final byte[] TOO_LONG = new byte[0];

    static final int SMALL = 512;
    static final int LARGE = 16 * 1024;

    private final InputStream in;
    private byte[] buffer = new byte[SMALL];
    // the last read filled the buffer: more is likely waiting, so the next read gets the large one
    private boolean full;
    private int start;
    private int end;

    LineInput(InputStream in) {
        this.in = in;
    }

    /** The next line without its line break, {@link #TOO_LONG}, or null at the end of the stream. */
    byte[] readLine(int maxLength) throws IOException {
        byte[] partial = null;
        int partialLength = 0;
        boolean tooLong = false;
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    int length = i - start;
                    byte[] line = tooLong ? TOO_LONG : join(partial, partialLength, length);
                    start = i + 1;
                    if (line == TOO_LONG || partialLength + length > maxLength) {
                        return TOO_LONG;
                    }
                    return stripCr(line);
                }
            }
            int available = end - start;
            if (!tooLong && partialLength + available > maxLength + 1) {
                tooLong = true;
                partial = null;
            }
            if (!tooLong) {
                partial = partial == null ? Arrays.copyOfRange(buffer, start, end)
                        : concat(partial, partialLength, buffer, start, available);
                partialLength += available;
            }
            start = end;
            if (!fill()) {
                return null;
            }
        }
    }

    private byte[] join(byte[] partial, int partialLength, int length) {
        if (partial == null) {
            return Arrays.copyOfRange(buffer, start, start + length);
        }
        return concat(partial, partialLength, buffer, start, length);
    }

    private static byte[] concat(byte[] a, int aLength, byte[] b, int bStart, int bLength) {
        byte[] out = Arrays.copyOf(a, aLength + bLength);
        System.arraycopy(b, bStart, out, aLength, bLength);
        return out;
    }

    private static byte[] stripCr(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            return Arrays.copyOf(line, line.length - 1);
        }
        return line;
    }

    private boolean fill() throws IOException {
        start = 0;
        end = 0;
        if (full && buffer.length < LARGE) {
            buffer = new byte[LARGE];
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        end = n;
        full = n == buffer.length;
        return true;
    }

    /** Between commands, with nothing buffered: gives back the large buffer, so an idle wait costs little. */
    void shrink() {
        if (start == end && buffer.length > SMALL) {
            buffer = new byte[SMALL];
            start = 0;
            end = 0;
            full = false;
        }
    }

    /** Whether input is waiting in the buffer: then replies wait too (RFC 2920 pipelining). */
    boolean hasBuffered() {
        return start < end;
    }

    /** Drops whatever was read but not used. */
    void discardBuffered() {
        start = 0;
        end = 0;
    }

    interface Consumer {
        /** Takes some of the bytes and returns how many. */
        int accept(byte[] bytes, int offset, int length);
    }

    /** Feeds buffered and new input to {@code consumer} until {@code done} says so; false at the end of the stream. */
    boolean feed(Consumer consumer, java.util.function.BooleanSupplier done) throws IOException {
        while (!done.getAsBoolean()) {
            if (start == end && !fill()) {
                return false;
            }
            start += consumer.accept(buffer, start, end - start);
        }
        return true;
    }

    /** Passes exactly {@code count} octets to {@code consumer}; false when the stream ends first. */
    boolean feedExactly(long count, Consumer consumer) throws IOException {
        long remaining = count;
        while (remaining > 0) {
            if (start == end && !fill()) {
                return false;
            }
            int n = (int) Math.min(remaining, end - start);
            consumer.accept(buffer, start, n);
            start += n;
            remaining -= n;
        }
        return true;
    }
}
