package dev.petrel.event;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A log line of the key=value kind read back into its fields: an optional time, the event's word, then
 * {@code key=value}, {@code key="quoted value"} (as {@link LogSink#quote} writes it) or a bare {@code flag}, one
 * space apart. A line of any other shape (prose: {@code petrel: listening on ...}) is none.
 */
record KeyValueLine(Instant time, String event, List<String[]> fields) {

    /** The line's fields, or null when it is not a key=value line. */
    static KeyValueLine parse(String line) {
        int space = line.indexOf(' ');
        Instant time = space < 0 ? null : LogLines.time(line.substring(0, space));
        int at = time == null ? 0 : space + 1;
        int end = wordEnd(line, at);
        if (end == at || (end < line.length() && line.charAt(end) != ' ')) {
            return null;
        }
        String event = line.substring(at, end);
        List<String[]> fields = new ArrayList<>();
        at = end;
        while (at < line.length()) {
            at = field(line, at + 1, fields);
            if (at < 0) {
                return null;
            }
        }
        return new KeyValueLine(time, event, fields);
    }

    /** Writes "event" and each field, in the line's order. */
    void writeFields(JsonGenerator json) throws IOException {
        json.writeStringField("event", event);
        for (String[] field : fields) {
            if (field[1] == null) {
                json.writeBooleanField(field[0], true);
            } else {
                json.writeStringField(field[0], field[1]);
            }
        }
    }

    // one field from `at`; returns where the next space is (or the line's end), -1 when the shape is wrong
    private static int field(String line, int at, List<String[]> fields) {
        int end = wordEnd(line, at);
        if (end == at) {
            return -1;
        }
        String key = line.substring(at, end);
        if (end == line.length() || line.charAt(end) == ' ') {
            fields.add(new String[] {key, null});
            return end;
        }
        if (line.charAt(end) != '=') {
            return -1;
        }
        int from = end + 1;
        if (from < line.length() && line.charAt(from) == '"') {
            return quoted(line, from + 1, key, fields);
        }
        int next = line.indexOf(' ', from);
        next = next < 0 ? line.length() : next;
        fields.add(new String[] {key, unescaped(line.substring(from, next))});
        return next;
    }

    private static String unescaped(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char e = value.charAt(++i);
                out.append(e == 'r' ? '\r' : e == 'n' ? '\n' : e);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // a quoted value, its escapes (\\ \" \r \n) undone; returns the index after the closing quote
    private static int quoted(String line, int at, String key, List<String[]> fields) {
        for (int i = at; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                fields.add(new String[] {key, unescaped(line.substring(at, i))});
                return i + 1 == line.length() || line.charAt(i + 1) == ' ' ? i + 1 : -1;
            }
            if (c == '\\') {
                i++;
            }
        }
        return -1;
    }

    // a word: lower-case letters, digits, '_' and '-', starting with a letter
    private static int wordEnd(String line, int at) {
        int i = at;
        while (i < line.length() && isWordChar(line.charAt(i), i == at)) {
            i++;
        }
        return i;
    }

    private static boolean isWordChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (!first && ((c >= '0' && c <= '9') || c == '_' || c == '-'));
    }
}
