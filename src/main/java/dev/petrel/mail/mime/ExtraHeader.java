package dev.petrel.mail.mime;

/**
 * A header field the sender adds to the composed message (Postmark's {@code Headers: [{Name, Value}]}).
 *
 * @param name an RFC 5322 3.6.8 field name, not one the composer writes itself
 * @param value the unstructured value, any Unicode text without line breaks, kept without white space at its ends
 */
public record ExtraHeader(String name, String value) {

    public ExtraHeader {
        value = WhiteSpace.strip(value);
    }
}
