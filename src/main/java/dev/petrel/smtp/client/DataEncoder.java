package dev.petrel.smtp.client;

import dev.petrel.smtp.LineEndings;
import java.io.ByteArrayOutputStream;

/**
 * Prepares message content for the wire, the reverse of the server's {@code DataDecoder}: every line break
 * becomes CRLF, so no bare CR or LF ever leaves Petrel (STYLE.md), the content ends with a line break, and for
 * DATA each line that starts with a period gets another one (RFC 5321 4.5.2) and {@code .CRLF} ends it all.
 */
public final class DataEncoder {

    private static final byte[] CRLF = {'\r', '\n'};

    private DataEncoder() {}

    /** The message with CRLF line breaks only and a CRLF at the end (unless it is empty). */
    public static byte[] normalize(byte[] message) {
        byte[] normal = LineEndings.normalize(message);
        int n = normal.length;
        if (n == 0 || (n >= 2 && normal[n - 2] == '\r' && normal[n - 1] == '\n')) {
            return normal;
        }
        byte[] ended = java.util.Arrays.copyOf(normal, n + 2);
        ended[n] = '\r';
        ended[n + 1] = '\n';
        return ended;
    }

    /**
     * What follows the 354 to DATA: the content dot-stuffed, then the end of data. The content must be
     * {@link #normalize normalized}, so the terminating sequence is CRLF "." CRLF (RFC 5321 4.1.1.4).
     */
    public static byte[] dotStuff(byte[] normalized) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(normalized.length + normalized.length / 64 + 3);
        boolean lineStart = true;
        int runStart = 0;
        for (int i = 0; i < normalized.length; i++) {
            byte b = normalized[i];
            if (lineStart && b == '.') {
                // RFC 5321 4.5.2: a line starting with a period gets one more period
                out.write(normalized, runStart, i - runStart);
                out.write('.');
                runStart = i;
            }
            lineStart = b == '\n';
        }
        out.write(normalized, runStart, normalized.length - runStart);
        out.write('.');
        out.write(CRLF, 0, 2);
        return out.toByteArray();
    }
}
