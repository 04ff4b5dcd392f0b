package dev.petrel.mail.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A part's body in its Content-Transfer-Encoding (RFC 2045 6). Text is sent as 7bit when it is printable ASCII
 * with short lines, otherwise as quoted-printable (RFC 2045 6.7); files are sent as base64 (RFC 2045 6.8), text
 * files too, so that their octets, line ends included, arrive as they left.
 *
 * @param encoding the Content-Transfer-Encoding value
 * @param octets the encoded body, every line ended by CRLF
 */
record Encoded(String encoding, byte[] octets) {

    // RFC 2045 6.7 (5): encoded lines are at most 76 characters, the "=" of a soft line break included
    static final int QP_LINE = 76;
    // RFC 2045 6.8: encoded lines are at most 76 characters
    static final int BASE64_LINE = 76;
    // lines longer than this are sent as quoted-printable, so that the 78 of RFC 5322 2.1.1 holds
    static final int PLAIN_LINE = Fields.LINE;

    /**
     * A text body: its line breaks (CRLF, LF or a lone CR) become CRLF (RFC 2046 4.1.1), and a body that does not
     * end with one gets one.
     */
    static Encoded text(String text) {
        String normal = text.replace("\r\n", "\n").replace('\r', '\n');
        if (!normal.isEmpty() && !normal.endsWith("\n")) {
            normal += "\n";
        }
        String[] lines = normal.split("\n", -1);
        if (isPlain(lines)) {
            return new Encoded("7bit", normal.replace("\n", Fields.CRLF).getBytes(StandardCharsets.US_ASCII));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length - 1; i++) {
            quotedPrintableLine(lines[i].getBytes(StandardCharsets.UTF_8), out);
        }
        return new Encoded("quoted-printable", out.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** A file's octets in base64, in lines of 76 characters. */
    static Encoded base64(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] encoded = Base64.getMimeEncoder(BASE64_LINE, Fields.CRLF.getBytes(StandardCharsets.US_ASCII))
                .encode(content);
        out.writeBytes(encoded);
        if (encoded.length > 0) {
            out.writeBytes(Fields.CRLF.getBytes(StandardCharsets.US_ASCII));
        }
        return new Encoded("base64", out.toByteArray());
    }

    // 7bit (RFC 2045 2.7): printable ASCII and tabs, short lines, no white space at a line's end (which
    // transports may strip, RFC 2045 6.7 (3))
    private static boolean isPlain(String[] lines) {
        for (String line : lines) {
            if (line.length() > PLAIN_LINE || line.endsWith(" ") || line.endsWith("\t")) {
                return false;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if ((c < 32 && c != '\t') || c > 126) {
                    return false;
                }
            }
        }
        return true;
    }

    // RFC 2045 6.7: one line of text, its octets encoded where rules (1) to (4) ask, soft breaks per rule (5)
    private static void quotedPrintableLine(byte[] line, StringBuilder out) {
        int width = 0;
        for (int i = 0; i < line.length; i++) {
            int b = line[i] & 0xff;
            boolean last = i == line.length - 1;
            String token = literal(b, last) ? String.valueOf((char) b) : "=" + Hex.upper(b);
            // a soft break needs room for its "=", unless this is the line's last token
            int room = last ? QP_LINE : QP_LINE - 1;
            if (width + token.length() > room) {
                out.append('=').append(Fields.CRLF);
                width = 0;
            }
            out.append(token);
            width += token.length();
        }
        out.append(Fields.CRLF);
    }

    // RFC 2045 6.7 (2) literal representation: 33-60 and 62-126; (3) space and tab except at the end of a line
    private static boolean literal(int b, boolean lastOnLine) {
        if (b == ' ' || b == '\t') {
            return !lastOnLine;
        }
        return b >= 33 && b <= 126 && b != '=';
    }
}
