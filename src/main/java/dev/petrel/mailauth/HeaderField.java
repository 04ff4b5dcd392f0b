package dev.petrel.mailauth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One header field as it stands in the message, folding included (RFC 5322 2.2), and the reading of a header
 * section into its fields.
 *
 * @param raw the field's octets with its line breaks, without the final CRLF
 */
record HeaderField(String name, byte[] raw) {

    String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The value after the colon, as octets decoded in UTF-8 (RFC 6532 allows UTF-8 in headers). */
    String value() {
        String text = new String(raw, StandardCharsets.UTF_8);
        return text.substring(text.indexOf(':') + 1);
    }

    /**
     * The fields of the header section at the start of {@code message}, in order, and where the body starts
     * (after the empty line; the message's length when there is none).
     */
    record Section(List<HeaderField> fields, int bodyStart) {}

    static Section read(byte[] message) {
        List<HeaderField> fields = new ArrayList<>();
        int i = 0;
        int start = -1;
        while (i < message.length) {
            int end = lineEnd(message, i);
            int next = end < message.length && message[end] == '\r' ? end + 2 : end + 1;
            if (end == i) {
                // the empty line: the body follows it
                close(message, start, i, fields);
                return new Section(fields, Math.min(next, message.length));
            }
            boolean continuation = message[i] == ' ' || message[i] == '\t';
            if (!continuation) {
                close(message, start, i, fields);
                start = i;
            }
            i = next;
        }
        close(message, start, message.length, fields);
        return new Section(fields, message.length);
    }

    // the field that began at start runs up to the line break before end
    private static void close(byte[] message, int start, int end, List<HeaderField> fields) {
        if (start < 0) {
            return;
        }
        int stop = end;
        if (stop > start && message[stop - 1] == '\n') {
            stop--;
        }
        if (stop > start && message[stop - 1] == '\r') {
            stop--;
        }
        byte[] raw = java.util.Arrays.copyOfRange(message, start, stop);
        String text = new String(raw, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        if (colon > 0) {
            fields.add(new HeaderField(text.substring(0, colon).strip(), raw));
        }
    }

    // the index of the CR of a CRLF (or of a bare LF) that ends the line starting at i
    private static int lineEnd(byte[] b, int i) {
        for (int j = i; j < b.length; j++) {
            if (b[j] == '\n') {
                return j > i && b[j - 1] == '\r' ? j - 1 : j;
            }
        }
        return b.length;
    }
}
