package dev.petrel.web;

import java.io.ByteArrayOutputStream;

/** What the send API does to a complete message it is given before intake sees it. */
final class RawMessages {

    private RawMessages() {}

    /**
     * The message with CRLF line breaks (RFC 5322 2.1: lines end in CRLF), as JSON strings and files written on
     * Unix carry LF alone; a bare CR becomes CRLF too. It ends with a line break.
     */
    static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 40 + 2);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        if (in.length > 0 && in[in.length - 1] != '\n' && in[in.length - 1] != '\r') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Whether any octet is outside US-ASCII (RFC 6152: the envelope says 8BITMIME then). */
    static boolean eightBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
