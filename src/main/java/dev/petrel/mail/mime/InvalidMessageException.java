package dev.petrel.mail.mime;

/**
 * A draft that cannot be composed. The message starts with the field at fault, spelled as the send API spells
 * it ({@code attachments[1].content_type: not a MIME type}), so the HTTP layer can pass it on as it is.
 */
public final class InvalidMessageException extends IllegalArgumentException {

    private final String field;

    public InvalidMessageException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The field at fault, such as {@code to[2]} or {@code headers[0].name}. */
    public String field() {
        return field;
    }
}
