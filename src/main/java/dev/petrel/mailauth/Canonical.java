package dev.petrel.mailauth;

import dev.petrel.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** RFC 6376 3.4: the "relaxed" canonicalizations of header fields and of the body. */
final class Canonical {

    private Canonical() {}

    /**
     * RFC 6376 3.4.2: name in lower case; unfolded; runs of WSP as one SP; no WSP at the end of the value nor
     * around the colon; then CRLF.
     */
    static String relaxedHeader(HeaderField field) {
        String value = field.value().replace("\r\n", "").replace("\n", "");
        StringBuilder out = new StringBuilder(field.lowerName().length() + value.length() + 3);
        out.append(field.lowerName()).append(':');
        boolean space = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                space = started;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
            started = true;
        }
        return out.append("\r\n").toString();
    }

    /**
     * RFC 6376 3.4.4, fed to a digest without copying the body: runs of WSP in a line as one SP, no WSP at a
     * line's end, no empty lines at the end of the body, and a final CRLF when the body is not empty.
     */
    /** Where canonical octets go: a digest, or a counter in front of one. */
    @FunctionalInterface
    interface Sink {
        void update(byte[] bytes, int offset, int length);

        default void update(byte[] bytes) {
            update(bytes, 0, bytes.length);
        }
    }

    static void relaxedBody(byte[] message, int from, MessageDigest digest) {
        relaxedBody(message, from, (Sink) digest::update);
    }

    static void relaxedBody(byte[] message, int from, Sink digest) {
        int pendingEmptyLines = 0;
        int i = from;
        byte[] crlf = {'\r', '\n'};
        byte[] sp = {' '};
        while (i < message.length) {
            int end = i;
            while (end < message.length && message[end] != '\n') {
                end++;
            }
            int lineStop = end > i && message[end - 1] == '\r' && end < message.length ? end - 1 : end;
            // trim trailing WSP
            int stop = lineStop;
            while (stop > i && (message[stop - 1] == ' ' || message[stop - 1] == '\t')) {
                stop--;
            }
            if (stop == i) {
                // empty lines count only when something follows them
                pendingEmptyLines++;
            } else {
                for (; pendingEmptyLines > 0; pendingEmptyLines--) {
                    digest.update(crlf);
                }
                int runStart = i;
                for (int j = i; j < stop; j++) {
                    byte b = message[j];
                    if (b == ' ' || b == '\t') {
                        digest.update(message, runStart, j - runStart);
                        while (j + 1 < stop && (message[j + 1] == ' ' || message[j + 1] == '\t')) {
                            j++;
                        }
                        digest.update(sp);
                        runStart = j + 1;
                    }
                }
                digest.update(message, runStart, stop - runStart);
                digest.update(crlf);
            }
            i = end + 1;
        }
    }

    /** RFC 6376 3.4.1: the field exactly as it is, and its CRLF. */
    static String simpleHeader(HeaderField field) {
        return new String(field.raw(), java.nio.charset.StandardCharsets.UTF_8) + "\r\n";
    }

    /**
     * RFC 6376 3.4.3: the body as it is, without the empty lines at its end, with a final CRLF; an empty body
     * is one CRLF.
     */
    static void simpleBody(byte[] message, int from, Sink digest) {
        int end = message.length;
        // drop CRLFs at the end, then put one back
        while (end - 2 >= from && message[end - 2] == '\r' && message[end - 1] == '\n') {
            end -= 2;
        }
        digest.update(message, from, end - from);
        digest.update(new byte[] {'\r', '\n'});
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
