package dev.petrel.mail;

import java.io.ByteArrayOutputStream;

/**
 * The quoted-printable content transfer encoding of RFC 2045 6.7. A CRLF in the data is a hard line break; every
 * other octet, a CR or LF alone included, is kept exactly (encoded when it is not printable), so decoding gives
 * back the data octet for octet. Encoded lines are at most 76 characters, soft line breaks included.
 */
final class QuotedPrintable {

    // RFC 2045 6.7 (5): encoded lines no more than 76 characters, the "=" of a soft line break included
    private static final int WIDTH = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private QuotedPrintable() {}

    static byte[] encode(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 8 + 16);
        int column = 0;
        for (int i = 0; i < data.length; i++) {
            int c = data[i] & 0xff;
            if (c == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                out.write('\r');
                out.write('\n');
                column = 0;
                i++;
                continue;
            }
            boolean literal = literal(c, column, data, i);
            int width = literal ? 1 : 3;
            if (column + width > WIDTH - 1) {
                // RFC 2045 6.7 (5): a soft line break, "=" at the end of the encoded line
                out.write('=');
                out.write('\r');
                out.write('\n');
                column = 0;
                literal = literal(c, column, data, i);
                width = literal ? 1 : 3;
            }
            if (literal) {
                out.write(c);
            } else {
                out.write('=');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            }
            column += width;
        }
        return out.toByteArray();
    }

    // RFC 2045 6.7 (2): printable ASCII but "=" stands for itself; (3) a space or tab only where a visible
    // character follows on the same line. A "-" that starts a line is encoded too, so that no encoded line can
    // ever look like a multipart boundary (RFC 2046 5.1.1), whatever the data held.
    private static boolean literal(int c, int column, byte[] data, int i) {
        if (c == ' ' || c == '\t') {
            return !endsLine(data, i + 1);
        }
        if (c == '-' && column == 0) {
            return false;
        }
        return c >= 33 && c <= 126 && c != '=';
    }

    private static boolean endsLine(byte[] data, int next) {
        return next >= data.length || (data[next] == '\r' && next + 1 < data.length && data[next + 1] == '\n');
    }

    /**
     * RFC 2045 6.7: decodes, leniently (as its note on robustness asks): a malformed "=" stands for itself, a bare
     * LF after "=" is a soft break too, and white space at the end of an encoded line is transport padding.
     */
    static byte[] decode(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length);
        int padding = 0; // literal spaces and tabs not yet written: dropped if a hard line break follows them
        for (int i = 0; i < text.length; i++) {
            int c = text[i] & 0xff;
            if (c == ' ' || c == '\t') {
                padding++;
                continue;
            }
            if (c == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
                padding = 0;
                out.write('\r');
                out.write('\n');
                i++;
                continue;
            }
            flush(out, text, i, padding);
            padding = 0;
            if (c == '=' && i + 2 < text.length && text[i + 1] == '\r' && text[i + 2] == '\n') {
                i += 2;
            } else if (c == '=' && i + 1 < text.length && text[i + 1] == '\n') {
                i += 1;
            } else if (c == '=' && i + 2 < text.length && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
                out.write(hex(text[i + 1]) << 4 | hex(text[i + 2]));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    // the white space just before position i, as it stood
    private static void flush(ByteArrayOutputStream out, byte[] text, int i, int padding) {
        out.write(text, i - padding, padding);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
