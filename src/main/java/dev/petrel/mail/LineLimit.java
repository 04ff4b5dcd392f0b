package dev.petrel.mail;

/**
 * RFC 5322 2.1.1: each line of a message MUST be no more than 998 octets, without its CRLF. Servers that enforce
 * it (RFC 5321 4.5.3.1.6: 1000 octets with the CRLF) refuse the whole message, and a bounce that quotes the line is
 * refused in turn, so the sender never learns. Intake makes every message fit before it is signed and queued:
 * {@link #exceeded} is the cheap scan every message gets; only a message that fails it is rewritten, as RFC 6152's
 * conversion and Postfix do: header fields folded (RFC 5322 2.2.3, or RFC 2047 encoded words), leaf parts with
 * long lines re-encoded as quoted-printable (text, RFC 2045 6.7) or base64 (anything else, RFC 2045 6.8).
 */
public final class LineLimit {

    /** RFC 5322 2.1.1: octets per line, the CRLF left out. */
    public static final int MAX = 998;

    private LineLimit() {}

    /** Whether any line is longer than {@link #MAX} octets. Allocates nothing: every message passes here. */
    public static boolean exceeded(byte[] content) {
        return exceeded(content, 0, content.length);
    }

    /**
     * As {@link #exceeded(byte[])} for the octets from {@code from} to {@code to}. Looks at a window of 1,000
     * octets at a time, from its end back to its last LF: lines of ordinary length cost a few octets per window.
     */
    static boolean exceeded(byte[] b, int from, int to) {
        int lineStart = from;
        while (to - lineStart > MAX) {
            // the LF that ends a line of at most 998 octets stands at lineStart + 999 or before
            int end = Math.min(lineStart + MAX + 1, to - 1);
            int lf = lastLf(b, lineStart, end);
            if (lf < 0) {
                // no line break: a last line of 999 octets fits if its 999th is a CR (a CRLF cut at the end)
                return to - lineStart > MAX + 1 || b[to - 1] != '\r';
            }
            if (lf == lineStart + MAX + 1 && b[lf - 1] != '\r' && lastLf(b, lineStart, lf - 1) < 0) {
                return true;
            }
            lineStart = lf + 1;
        }
        return false;
    }

    private static int lastLf(byte[] b, int from, int end) {
        for (int i = end; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The message with no line longer than {@link #MAX} octets: the same array when none is (byte for byte
     * unchanged), else a rewritten copy whose decoded content is the same.
     */
    public static byte[] enforce(byte[] content) {
        return exceeded(content) ? EntityRewrite.message(content) : content;
    }
}
