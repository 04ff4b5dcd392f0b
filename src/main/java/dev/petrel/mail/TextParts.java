package dev.petrel.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Edits the text a message shows its reader: each text/plain and text/html part that is not an attachment, in
 * multiparts at any depth (RFC 2046 5.1), decoded from its transfer encoding (RFC 2045 6) and charset, handed to an
 * edit, and written back when the edit changed it: as UTF-8, base64 when it was base64 and quoted-printable
 * otherwise, so that lines stay short and any text fits. Every other octet is copied as it was; encapsulated
 * messages are not entered.
 */
public final class TextParts {

    private static final String CTE = "Content-Transfer-Encoding";
    private static final byte[] CRLF = {'\r', '\n'};

    /** A new text for one part; the same text leaves the part as it was. */
    @FunctionalInterface
    public interface Edit {
        /** @param type {@code text/plain} or {@code text/html} */
        String apply(String type, String text);
    }

    private TextParts() {}

    /** The message with each text part edited. */
    public static byte[] edit(byte[] message, Edit edit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 512);
        entity(message, true, edit, out);
        return out.toByteArray();
    }

    /** Whether some text part of the message, decoded, contains {@code text}. */
    public static boolean contains(byte[] message, String text) {
        boolean[] found = {false};
        edit(message, (type, t) -> {
            found[0] |= t.contains(text);
            return t;
        });
        return found[0];
    }

    private static void entity(byte[] e, boolean message, Edit edit, ByteArrayOutputStream out) {
        HeaderSection section = HeaderSection.read(e);
        // RFC 2045 4: a message without MIME-Version (or at least a Content-Type) is plain text
        boolean mime = !message || section.has("MIME-Version") || section.has("Content-Type");
        MediaType type = mime ? MediaType.of(section) : MediaType.TEXT_PLAIN;
        if (type.multipart() && type.parameter("boundary") != null) {
            out.write(e, 0, section.bodyStart());
            EntityRewrite.Multipart.rewrite(e, section.bodyStart(), type.parameter("boundary"), out,
                    (part, o) -> entity(part, false, edit, o));
        } else if ((type.type().equals("text/plain") || type.type().equals("text/html")) && !attachment(section)) {
            leaf(e, section, type, message, edit, out);
        } else {
            out.writeBytes(e);
        }
    }

    // RFC 2183 2.2: a file to save, not text to show
    private static boolean attachment(HeaderSection section) {
        List<HeaderField> fields = section.all("Content-Disposition");
        return !fields.isEmpty() && fields.getFirst().unfoldedValue().strip().toLowerCase(Locale.ROOT)
                .startsWith("attachment");
    }

    private static void leaf(byte[] e, HeaderSection section, MediaType type, boolean message, Edit edit,
                             ByteArrayOutputStream out) {
        String encoding = EntityRewrite.encoding(section);
        byte[] body = Arrays.copyOfRange(e, section.bodyStart(), e.length);
        byte[] decoded = switch (encoding) {
            case "base64" -> Base64.getMimeDecoder().decode(EntityRewrite.base64Alphabet(body));
            case "quoted-printable" -> QuotedPrintable.decode(body);
            default -> body;
        };
        Charset charset = charset(type.parameter("charset"));
        if (charset == null) {
            out.writeBytes(e);
            return;
        }
        String text = new String(decoded, charset);
        String edited = edit.apply(type.type(), text);
        if (edited.equals(text)) {
            out.writeBytes(e);
            return;
        }
        byte[] kept = HeaderSection.read(section.without(CTE)).without("Content-Type");
        out.write(kept, 0, HeaderSection.read(kept).end());
        if (message && !section.has("MIME-Version")) {
            out.writeBytes("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        boolean base64 = encoding.equals("base64");
        out.writeBytes(("Content-Type: " + type.type() + parameters(type.parameters()) + "; charset=utf-8\r\n" + CTE
                + ": " + (base64 ? "base64" : "quoted-printable") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(CRLF);
        byte[] utf8 = edited.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(base64 ? EntityRewrite.base64(utf8) : QuotedPrintable.encode(utf8));
    }

    // the other parameters as they were (format=flowed and the like), quoted
    private static String parameters(Map<String, String> parameters) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (!name.equals("charset")) {
                out.append("; ").append(name).append("=\"").append(value.replace("\\", "\\\\")
                        .replace("\"", "\\\"")).append('"');
            }
        });
        return out.toString();
    }

    // RFC 2046 4.1.2: us-ascii when none is named; read as UTF-8, its superset, so stray 8-bit text survives. A
    // charset Java does not know leaves the part alone
    private static Charset charset(String name) {
        if (name == null || name.equalsIgnoreCase("us-ascii")) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
