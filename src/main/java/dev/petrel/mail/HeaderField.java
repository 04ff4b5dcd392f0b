package dev.petrel.mail;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One header field as it stands in a message (RFC 5322 2.2): its name, and its octets from the name to the end of
 * its last line, folding included, without the final line break. {@link HeaderSection} reads them.
 *
 * @param name the field name, without the white space an obsolete field puts before the colon (RFC 5322 4.5)
 * @param raw the field's octets with its inner line breaks, without the final CRLF (or LF)
 */
public record HeaderField(String name, byte[] raw) {

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** True when the field has that name; names compare without regard to case (RFC 5322 1.2.2). */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The value after the colon, folding kept, as octets decoded in UTF-8 (RFC 6532 allows UTF-8 in headers). */
    public String value() {
        String text = new String(raw, StandardCharsets.UTF_8);
        return text.substring(text.indexOf(':') + 1);
    }

    /** The value unfolded (RFC 5322 2.2.3): the line breaks removed, the white space after them kept. */
    public String unfoldedValue() {
        return value().replace("\r\n", "").replace("\n", "");
    }
}
