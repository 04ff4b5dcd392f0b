package dev.petrel.mail.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes header fields, folded (RFC 5322 2.2.3) so that lines stay within 78 characters where the value allows
 * it (RFC 5322 2.1.1 SHOULD) and never pass 998 (its MUST). A value is written as segments; each segment after
 * the first starts with white space, and a fold is a CRLF put before a segment, so unfolding gives the value back.
 */
final class Fields {

    // RFC 5322 2.1.1: lines SHOULD be at most 78 characters, MUST be at most 998, both without the CRLF
    static final int LINE = 78;
    static final int MAX_LINE = 998;
    static final String CRLF = "\r\n";
    // the longest name of a field that may hold a display name; the first encoded word fits after it
    private static final int ADDRESS_FIRST_WORD = LINE - "Reply-To: ".length();
    // an ASCII display name longer than this is encoded, so that it can be folded
    private static final int MAX_QUOTED_NAME = 60;

    private Fields() {
    }

    /** A field from segments: {@code Name: seg1 seg2...}, folded before segments that pass the line. */
    static String fold(String name, List<String> segments) {
        StringBuilder out = new StringBuilder(name).append(':');
        int lineStart = 0;
        boolean first = true;
        for (String segment : segments) {
            String s = first ? " " + segment : segment;
            if (!first && !s.isBlank() && out.length() - lineStart + s.length() > LINE) {
                out.append(CRLF);
                lineStart = out.length();
            }
            out.append(s);
            first = false;
        }
        return out.append(CRLF).toString();
    }

    /**
     * An unstructured field (RFC 5322 3.2.5 unstructured: Subject, extra headers): as it is when it is printable
     * ASCII that folds within 998 characters, otherwise as RFC 2047 encoded words.
     */
    static String unstructured(String name, String value) {
        if (value.isEmpty()) {
            return name + ": " + CRLF;
        }
        if (isPlain(value)) {
            List<String> segments = atWhiteSpace(value);
            if (segments.stream().allMatch(s -> s.length() + name.length() + 2 <= MAX_LINE)) {
                return fold(name, segments);
            }
        }
        List<String> words = EncodedWords.encode(value, LINE - name.length() - 2);
        return fold(name, spaced(words));
    }

    /** An address field (RFC 5322 3.6.2, 3.6.3): mailboxes separated by commas, folded between words. */
    static String addresses(String name, List<Mailbox> mailboxes) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < mailboxes.size(); i++) {
            Mailbox m = mailboxes.get(i);
            String comma = i < mailboxes.size() - 1 ? "," : "";
            if (m.displayName().isEmpty()) {
                words.add(m.address() + comma);
            } else {
                words.addAll(displayName(m.displayName()));
                words.add("<" + m.address() + ">" + comma);
            }
        }
        return fold(name, spaced(words));
    }

    /**
     * A display name (RFC 5322 3.4 display-name = phrase): atoms as they are, other printable ASCII as a quoted
     * string (RFC 5322 3.2.4), anything else as encoded words (RFC 2047 5 (3)). A name that looks like an
     * encoded word is itself encoded, so that no reader decodes it.
     */
    static List<String> displayName(String name) {
        if (isPlain(name) && !name.contains("\t") && name.length() <= MAX_QUOTED_NAME) {
            if (name.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+( [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")) {
                return List.of(name.split(" "));
            }
            return List.of("\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return EncodedWords.encode(name, ADDRESS_FIRST_WORD);
    }

    // printable ASCII, space and tab, and nothing a reader could take for an encoded word (RFC 2047 6.1)
    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 32 && c != '\t') || c > 126) {
                return false;
            }
        }
        return !value.contains("=?");
    }

    // cuts before each run of white space, so a fold leaves the white space at the start of the next line
    private static List<String> atWhiteSpace(String value) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < value.length(); i++) {
            boolean space = isWsp(value.charAt(i));
            if (space && !isWsp(value.charAt(i - 1))) {
                segments.add(value.substring(start, i));
                start = i;
            }
        }
        segments.add(value.substring(start));
        return segments;
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static List<String> spaced(List<String> words) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            out.add(i == 0 ? words.get(i) : " " + words.get(i));
        }
        return out;
    }
}
