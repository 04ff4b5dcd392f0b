package dev.petrel.delivery.local;

/** Line ends between the queue (CRLF, as SMTP carries mail) and a Maildir file (LF, as Maildir readers expect). */
final class LineEnds {

    private LineEnds() {}

    /** {@code head} then {@code body} in one array, every CRLF written as LF; a lone CR stays as it is. */
    static byte[] toLf(byte[] head, byte[] body) {
        byte[] out = new byte[head.length + body.length];
        int n = copy(head, out, 0);
        n = copy(body, out, n);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static int copy(byte[] from, byte[] to, int at) {
        int n = at;
        for (int i = 0; i < from.length; i++) {
            byte b = from[i];
            if (b == '\r' && i + 1 < from.length && from[i + 1] == '\n') {
                continue;
            }
            to[n++] = b;
        }
        return n;
    }

    /** How many LF the bytes hold: what turning each into CRLF adds to the size. */
    static long count(byte[] bytes) {
        long lines = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
