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

    /** As {@link #exceeded(byte[])} for the octets from {@code from} to {@code to}. */
    static boolean exceeded(byte[] b, int from, int to) {
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                int length = i - lineStart;
                if (length > MAX && (length > MAX + 1 || b[i - 1] != '\r')) {
                    return true;
                }
                lineStart = i + 1;
            }
        }
        // the last line, without a line break (or a CR alone at the very end)
        int length = to - lineStart;
        return length > MAX && (length > MAX + 1 || b[to - 1] != '\r');
    }

    /**
     * The message with no line longer than {@link #MAX} octets: the same array when none is (byte for byte
     * unchanged), else a rewritten copy whose decoded content is the same.
     */
    public static byte[] enforce(byte[] content) {
        return exceeded(content) ? EntityRewrite.message(content) : content;
    }
}
