package dev.petrel.smtp;

/**
 * Reads the content of DATA as it arrives (RFC 5321 4.1.1.4, 4.5.2): removes dot-stuffing and finds the
 * end, which is only {@code <CR><LF>.<CR><LF>}. A bare LF or bare CR ends a line as if it were CRLF, as
 * Postfix's {@code smtpd_forbid_bare_newline = normalize} does, but never ends the data: a "." line whose
 * own or preceding line break is bare is kept as an empty line (the SMTP smuggling defence). What comes out
 * has only CRLF line breaks. Content beyond {@code maxSize} is read and dropped, and {@link #overflowed()}
 * tells so.
 */
public final class DataDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final long maxSize;
    private final ByteSink out;
    private long size;
    private boolean overflow;
    private boolean lineStart = true;
    // the line so far is a single leading dot, held back
    private boolean heldDot;
    private boolean lineHasContent;
    private boolean pendingCr;
    // the previous line ended with a genuine CRLF; the start of DATA counts as one
    private boolean previousCrlf = true;
    private boolean done;
    private boolean sawBareLineBreak;

    public DataDecoder(long maxSize, ByteSink out) {
        this.maxSize = maxSize;
        this.out = out;
    }

    /** Where decoded content goes. */
    public interface ByteSink {
        void write(byte[] bytes, int offset, int length);

        default void write(byte b) {
            write(new byte[] {b}, 0, 1);
        }
    }

    /**
     * Decodes up to {@code length} bytes and returns how many it used: fewer than given when the end of the
     * data was found, so the rest is the client's next commands.
     */
    public int feed(byte[] buffer, int offset, int length) {
        int i = offset;
        int end = offset + length;
        int runStart = -1;
        while (i < end && !done) {
            if (!pendingCr && !lineStart && !heldDot) {
                // inside a line: everything up to the next CR or LF is content as it stands
                int stop = i;
                while (stop < end && buffer[stop] != CR && buffer[stop] != LF) {
                    stop++;
                }
                if (stop > i) {
                    if (runStart < 0) {
                        runStart = i;
                    }
                    i = stop;
                    continue;
                }
            }
            byte b = buffer[i];
            if (runStart >= 0) {
                emit(buffer, runStart, i - runStart);
                runStart = -1;
            }
            step(b);
            i++;
        }
        if (runStart >= 0) {
            emit(buffer, runStart, i - runStart);
        }
        return i - offset;
    }

    private void step(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == LF) {
                endLine(true);
                return;
            }
            endLine(false);
        }
        if (b == CR) {
            pendingCr = true;
        } else if (b == LF) {
            endLine(false);
        } else if (lineStart && b == '.') {
            // RFC 5321 4.5.2: a leading period is removed; if it is alone on the line it may end the data
            lineStart = false;
            heldDot = true;
        } else {
            lineStart = false;
            heldDot = false;
            lineHasContent = true;
            emit(new byte[] {b}, 0, 1);
        }
    }

    private void endLine(boolean genuineCrlf) {
        boolean onlyDot = heldDot && !lineHasContent;
        if (onlyDot && genuineCrlf && previousCrlf) {
            done = true;
            return;
        }
        if (!genuineCrlf) {
            sawBareLineBreak = true;
        }
        emit(new byte[] {CR, LF}, 0, 2);
        previousCrlf = genuineCrlf;
        lineStart = true;
        heldDot = false;
        lineHasContent = false;
    }

    private void emit(byte[] bytes, int offset, int length) {
        size += length;
        if (size > maxSize) {
            overflow = true;
            return;
        }
        out.write(bytes, offset, length);
    }

    /** True once {@code <CR><LF>.<CR><LF>} was read. */
    public boolean isDone() {
        return done;
    }

    /** True when the content was larger than the limit and was not all kept. */
    public boolean overflowed() {
        return overflow;
    }

    /** The decoded size, counted also past the limit. */
    public long size() {
        return size;
    }

    /** True when some line ended in a bare LF or bare CR (logged, as Postfix does). */
    public boolean sawBareLineBreak() {
        return sawBareLineBreak;
    }
}
