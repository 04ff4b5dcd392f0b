package dev.petrel.bounce;

import dev.petrel.mail.Reply;

/**
 * The reason given for a recipient's outcome, RFC 3464 2.3.6: {@code diagnostic-type ";" *text}. A remote
 * server's reply has type {@code smtp}; an error seen by Petrel itself (a refused connection, a DNS
 * failure, an expired message) has type {@code X-Petrel}, as Postfix writes {@code X-Postfix}.
 *
 * @param type the diagnostic type, an RFC 3464 atom
 * @param text the text, on one line
 */
public record Diagnostic(String type, String text) {

    public static final String LOCAL_TYPE = "X-Petrel";

    public Diagnostic {
        if (type == null || !type.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("invalid diagnostic type: " + type);
        }
        if (text == null || text.isBlank() || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("diagnostic text is one non-empty line");
        }
    }

    /** A remote server's reply, all its lines joined by spaces: "550 5.1.1 User unknown". */
    public static Diagnostic smtp(Reply reply) {
        StringBuilder text = new StringBuilder().append(reply.code());
        if (reply.status() != null) {
            text.append(' ').append(reply.status());
        }
        for (String line : reply.lines()) {
            if (!line.isBlank()) {
                text.append(' ').append(line.strip());
            }
        }
        return new Diagnostic("smtp", text.toString());
    }

    /** An error Petrel saw itself: "connect to mx.example.org[192.0.2.1]:25: Connection refused". */
    public static Diagnostic local(String text) {
        return new Diagnostic(LOCAL_TYPE, text);
    }

    /** Whether this is a remote server's SMTP reply. */
    public boolean isSmtp() {
        return type.equalsIgnoreCase("smtp");
    }

    /** The field value: "smtp; 550 5.1.1 User unknown". */
    @Override
    public String toString() {
        return type + "; " + text;
    }
}
