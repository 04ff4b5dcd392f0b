package dev.petrel.bounce;

import dev.petrel.mail.HeaderSection;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;

/**
 * The text rules a DSN's lines follow: CRLF line ends only (never a bare CR or LF), folded header fields,
 * RFC 5322 dates, and where the header section of a returned message ends.
 */
final class MessageText {

    static final String CRLF = "\r\n";

    // RFC 5322 2.1.1: lines SHOULD be at most 78 characters and MUST be at most 998
    static final int FOLD_WIDTH = 78;
    static final int HARD_WIDTH = 900;

    // RFC 5322 3.3 date-time, always in UTC so reports do not depend on the machine's zone
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MessageText() {}

    static String date(Instant instant) {
        return RFC5322.format(instant);
    }

    /** Every line end becomes CRLF: a bare LF or a bare CR is taken as a line end (as Postfix normalizes). */
    static byte[] withCrlf(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < content.length && content[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        if (content.length > 0 && content[content.length - 1] != '\n' && content[content.length - 1] != '\r') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * The header section of a message whose lines end in CRLF (RFC 5322 2.1: up to the first empty line),
     * without that empty line; the whole message when it has no body.
     */
    static byte[] headerSection(byte[] crlfContent) {
        return Arrays.copyOf(crlfContent, HeaderSection.read(crlfContent).end());
    }

    static boolean hasEightBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    /**
     * Text from elsewhere (a remote reply, an address) made safe for one line: control characters become
     * "?", and so does non-ASCII unless the part may carry UTF-8.
     */
    static String safe(String text, boolean utf8) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
            out.appendCodePoint(control || (!utf8 && cp > 0x7f) ? '?' : cp);
        });
        return out.toString();
    }

    /** A header field "Name: value", folded at spaces (RFC 5322 2.2.3), ending in CRLF. */
    static String field(String name, String value) {
        return wrap(name + ": " + value, FOLD_WIDTH, "\t");
    }

    /**
     * Breaks text into lines of at most {@code width} characters at spaces, continuation lines starting with
     * {@code indent}; a word longer than the hard limit is cut so that no line ever exceeds 998 octets.
     */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ", -1)) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width && !line.toString().isBlank()) {
                out.append(line).append(CRLF);
                line.setLength(0);
                line.append(indent);
            } else if (line.length() > 0 || out.length() > 0) {
                line.append(' ');
            }
            line.append(word);
            while (line.length() > HARD_WIDTH) {
                out.append(line, 0, HARD_WIDTH).append(CRLF);
                line.delete(0, HARD_WIDTH).insert(0, indent);
            }
        }
        return out.append(line).append(CRLF).toString();
    }
}
