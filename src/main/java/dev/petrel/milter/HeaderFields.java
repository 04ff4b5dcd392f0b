package dev.petrel.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message's header section as the milter protocol sees it: fields in order, each a name and a value (the text
 * after the colon, folds kept as CRLF), and where the body starts.
 *
 * @param fields the header fields in order
 * @param bodyOffset the index of the body's first octet (after the empty line), or the message's length
 */
public record HeaderFields(List<Field> fields, int bodyOffset) {

    public record Field(String name, String value) {}

    public HeaderFields {
        fields = List.copyOf(fields);
    }

    /** RFC 5322 2.2: a field is a name, a colon and a value, continued on lines that start with white space. */
    public static HeaderFields read(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int at = 0;
        while (at < message.length) {
            int end = lineEnd(message, at);
            if (end == at) {
                return new HeaderFields(fields, next(message, end));
            }
            int fieldEnd = end;
            while (next(message, fieldEnd) < message.length && isFold(message[next(message, fieldEnd)])) {
                fieldEnd = lineEnd(message, next(message, fieldEnd));
            }
            String text = new String(message, at, fieldEnd - at, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0) {
                return new HeaderFields(fields, at); // not a field: the body starts here (as Postfix takes it)
            }
            fields.add(new Field(text.substring(0, colon).strip(), text.substring(colon + 1)));
            at = next(message, fieldEnd);
        }
        return new HeaderFields(fields, message.length);
    }

    private static boolean isFold(byte b) {
        return b == ' ' || b == '\t';
    }

    // the index of the CR (or bare LF) ending the line that starts at from, or the message's end
    private static int lineEnd(byte[] m, int from) {
        for (int i = from; i < m.length; i++) {
            if (m[i] == '\n') {
                return i > from && m[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return m.length;
    }

    private static int next(byte[] m, int lineEnd) {
        if (lineEnd >= m.length) {
            return m.length;
        }
        return m[lineEnd] == '\r' && lineEnd + 1 < m.length && m[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
    }
}
