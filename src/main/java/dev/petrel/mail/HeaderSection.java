package dev.petrel.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header section at the start of a message (RFC 5322 2.1 and 2.2): its fields in order, folded lines joined to
 * their field, and where it ends, at the first empty line. Lines end in CRLF or a bare LF. A line that is neither a
 * field ("name:") nor the continuation of one is skipped, with its continuations; octets are never refused, so
 * malformed or 8-bit headers do not stop a message.
 */
public final class HeaderSection {

    // a field and the octets it takes in the message: from its first octet to after its last line break; its name
    // ends at nameEnd (white space before the colon left out), its octets at stop (the final line break left out).
    // The field itself is made only when asked for: most questions only compare names.
    private record Located(byte[] message, int start, int nameEnd, int stop, int next) {

        boolean is(String name) {
            if (nameEnd - start != name.length()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                int a = message[start + i] & 0xff;
                int b = name.charAt(i);
                if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                    return false;
                }
            }
            return true;
        }

        HeaderField field() {
            return new HeaderField(new String(message, start, nameEnd - start, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(message, start, stop));
        }
    }

    private final byte[] message;
    private final List<Located> located;
    private final int end;
    private final int bodyStart;

    private HeaderSection(byte[] message, List<Located> located, int end, int bodyStart) {
        this.message = message;
        this.located = List.copyOf(located);
        this.end = end;
        this.bodyStart = bodyStart;
    }

    /** Reads the header section of {@code message}; the array is kept, not copied, for {@link #without}. */
    public static HeaderSection read(byte[] message) {
        List<Located> fields = new ArrayList<>();
        int i = 0;
        int start = -1;
        while (i < message.length) {
            int lineEnd = lineEnd(message, i);
            int next = lineEnd < message.length && message[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
            if (lineEnd == i) {
                // the empty line: the body follows it
                add(message, start, i, fields);
                return new HeaderSection(message, fields, i, Math.min(next, message.length));
            }
            boolean continuation = message[i] == ' ' || message[i] == '\t';
            if (!continuation) {
                add(message, start, i, fields);
                start = i;
            }
            i = Math.min(next, message.length);
        }
        add(message, start, message.length, fields);
        return new HeaderSection(message, fields, message.length, message.length);
    }

    // the index of the CR of a CRLF (or of a bare LF) that ends the line starting at i; the length when none does
    private static int lineEnd(byte[] b, int i) {
        for (int j = i; j < b.length; j++) {
            if (b[j] == '\n') {
                return j > i && b[j - 1] == '\r' ? j - 1 : j;
            }
        }
        return b.length;
    }

    // the field that began at start runs up to next, its final line break included
    private static void add(byte[] message, int start, int next, List<Located> fields) {
        if (start < 0) {
            return;
        }
        int stop = next;
        if (stop > start && message[stop - 1] == '\n') {
            stop--;
        }
        if (stop > start && message[stop - 1] == '\r') {
            stop--;
        }
        int colon = indexOf(message, start, stop, (byte) ':');
        if (colon > start) {
            int nameEnd = colon;
            while (nameEnd > start && (message[nameEnd - 1] == ' ' || message[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            if (nameEnd > start) {
                fields.add(new Located(message, start, nameEnd, stop, next));
            }
        }
    }

    private static int indexOf(byte[] b, int from, int to, byte wanted) {
        for (int j = from; j < to; j++) {
            if (b[j] == wanted) {
                return j;
            }
        }
        return -1;
    }

    /** The fields, in the order they stand. */
    public List<HeaderField> fields() {
        return located.stream().map(Located::field).toList();
    }

    /** The fields of that name (without regard to case), top to bottom. */
    public List<HeaderField> all(String name) {
        return located.stream().filter(l -> l.is(name)).map(Located::field).toList();
    }

    /** How many fields of that name there are. */
    public int count(String name) {
        return (int) located.stream().filter(l -> l.is(name)).count();
    }

    public boolean has(String name) {
        return located.stream().anyMatch(l -> l.is(name));
    }

    /** Where the section ends: where the empty line starts, or the message's length when there is none. */
    public int end() {
        return end;
    }

    /** Where the body starts: after the empty line, or the message's length when there is none. */
    public int bodyStart() {
        return bodyStart;
    }

    /** The message without the fields of that name (their continuation lines included); all else as it was. */
    public byte[] without(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        int copied = 0;
        for (Located l : located) {
            if (l.is(name)) {
                out.write(message, copied, l.start() - copied);
                copied = l.next();
            }
        }
        out.write(message, copied, message.length - copied);
        return out.toByteArray();
    }
}
