package dev.petrel.mail.mime;

/**
 * A file carried by the message.
 *
 * @param fileName the name shown to the recipient, any Unicode text but controls; kept without white space at its
 *                 ends, which readers drop
 * @param contentType a MIME type ({@code type/subtype}, parameters allowed), RFC 2045 5.1
 * @param content the file's octets
 * @param contentId the id an HTML part refers to with {@code cid:} (RFC 2392), or null when the file is not inline
 */
public record Attachment(String fileName, String contentType, byte[] content, String contentId) {

    public Attachment {
        fileName = WhiteSpace.strip(fileName);
    }

    public boolean inline() {
        return contentId != null;
    }
}
