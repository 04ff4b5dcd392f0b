package dev.petrel.mail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Rewrites a message that has lines over 998 octets (see {@link LineLimit}) into one that has none, walking its
 * MIME structure (RFC 2045, 2046): header sections are folded ({@link HeaderFolding}); a multipart body is
 * split at its boundaries and each part with a long line is rewritten in turn, nested ones too; an encapsulated
 * message (message/rfc822, message/global) is rewritten as a message; a leaf part with a long line is re-encoded.
 * Parts without long lines are copied octet for octet.
 */
final class EntityRewrite {

    private static final String CTE = "Content-Transfer-Encoding";
    private static final byte[] CRLF = {'\r', '\n'};

    private EntityRewrite() {}

    static byte[] message(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 16 + 256);
        entity(content, true, out);
        return out.toByteArray();
    }

    // one entity (RFC 2045 2.4): a header section, an empty line, a body; message says it is a whole message
    private static void entity(byte[] e, boolean message, ByteArrayOutputStream out) {
        HeaderSection section = HeaderSection.read(e);
        int bodyStart = section.bodyStart();
        if (!LineLimit.exceeded(e, bodyStart, e.length)) {
            out.writeBytes(HeaderFolding.fold(Arrays.copyOf(e, section.end())));
            out.write(e, section.end(), e.length - section.end());
            return;
        }
        // RFC 2045 4: a message without MIME-Version (or at least a Content-Type) is plain text, whatever it says
        boolean mime = !message || section.has("MIME-Version") || section.has("Content-Type");
        MediaType type = mime ? MediaType.of(section) : MediaType.TEXT_PLAIN;
        String encoding = encoding(section);
        boolean identity = encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
        if (type.multipart() && type.parameter("boundary") != null) {
            headerAndSeparator(e, section, out);
            Multipart.rewrite(e, bodyStart, type.parameter("boundary"), out, Multipart::part);
        } else if (type.encapsulated() && identity) {
            // RFC 2046 5.2.1: message/rfc822 may not be encoded; the message inside is made to fit instead
            headerAndSeparator(e, section, out);
            entity(Arrays.copyOfRange(e, bodyStart, e.length), true, out);
        } else {
            leaf(e, section, type, encoding, message, out);
        }
    }

    private static void headerAndSeparator(byte[] e, HeaderSection section, ByteArrayOutputStream out) {
        out.writeBytes(HeaderFolding.fold(Arrays.copyOf(e, section.end())));
        out.write(e, section.end(), section.bodyStart() - section.end());
    }

    // RFC 2045 6.1: 7bit when the field is absent
    static String encoding(HeaderSection section) {
        List<HeaderField> fields = section.all(CTE);
        return fields.isEmpty() ? "7bit" : fields.getFirst().unfoldedValue().strip().toLowerCase(Locale.ROOT);
    }

    /**
     * A leaf with long lines. Already base64 or quoted-printable: decoded and encoded again, in lines that fit.
     * Else re-encoded as RFC 6152 3 and Postfix's 8BITMIME conversion do: text as quoted-printable, anything
     * else as base64, with Content-Transfer-Encoding changed, and for a message that was not MIME,
     * MIME-Version and a text/plain Content-Type added (RFC 2045 4, 5).
     */
    private static void leaf(byte[] e, HeaderSection section, MediaType type, String encoding, boolean message,
                             ByteArrayOutputStream out) {
        byte[] body = Arrays.copyOfRange(e, section.bodyStart(), e.length);
        String newEncoding = null;
        byte[] encoded;
        if (encoding.equals("base64")) {
            encoded = base64(Base64.getMimeDecoder().decode(base64Alphabet(body)));
        } else if (encoding.equals("quoted-printable")) {
            encoded = QuotedPrintable.encode(QuotedPrintable.decode(body));
        } else if (type.text()) {
            newEncoding = "quoted-printable";
            encoded = QuotedPrintable.encode(body);
        } else {
            newEncoding = "base64";
            encoded = base64(body);
        }
        byte[] kept = newEncoding != null && section.has(CTE) ? section.without(CTE) : e;
        HeaderSection keptSection = HeaderSection.read(kept);
        out.writeBytes(HeaderFolding.fold(Arrays.copyOf(kept, keptSection.end())));
        if (newEncoding != null) {
            if (message && !section.has("MIME-Version")) {
                out.writeBytes("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (!section.has("Content-Type")) {
                out.writeBytes(("Content-Type: text/plain; charset=" + charset(body) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes((CTE + ": " + newEncoding + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(CRLF);
        out.writeBytes(encoded);
    }

    // RFC 2045 6.8: lines of 76 characters; the MIME decoder skips anything outside the alphabet, so a broken
    // part is carried rather than refused
    static byte[] base64(byte[] data) {
        byte[] lines = Base64.getMimeEncoder().encode(data);
        byte[] out = Arrays.copyOf(lines, lines.length + 2);
        out[lines.length] = '\r';
        out[lines.length + 1] = '\n';
        return out;
    }

    // the octets of the base64 alphabet, without its padding: the decoder needs none, and junk, misplaced
    // padding or a final unit of one character (which carries no octet, RFC 2045 6.8) cannot make it throw
    static byte[] base64Alphabet(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (byte b : body) {
            if (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/') {
                out.write(b);
            }
        }
        byte[] alphabet = out.toByteArray();
        return alphabet.length % 4 == 1 ? Arrays.copyOf(alphabet, alphabet.length - 1) : alphabet;
    }

    // the charset of text that named none: ASCII, UTF-8, or RFC 1428's unknown-8bit
    private static String charset(byte[] body) {
        boolean ascii = true;
        for (byte b : body) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return "us-ascii";
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            return "utf-8";
        } catch (CharacterCodingException e) {
            return "unknown-8bit";
        }
    }

    /** Lines over the limit where nothing reads them (a preamble, an epilogue): cut, a CRLF put in. */
    static void cut(byte[] b, int from, int to, ByteArrayOutputStream out) {
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                lineStart = i + 1;
            } else if (i - lineStart >= LineLimit.MAX && !(b[i] == '\r' && i + 1 < to && b[i + 1] == '\n')) {
                out.writeBytes(CRLF);
                lineStart = i;
            }
            out.write(b[i]);
        }
    }

    /** A multipart body (RFC 2046 5.1.1): preamble, parts between delimiter lines, epilogue. */
    static final class Multipart {

        private record Delimiter(int start, int next, boolean close) {}

        /** Writes one part of a multipart body, rewritten or as it is. */
        @FunctionalInterface
        interface PartWriter {
            void write(byte[] part, ByteArrayOutputStream out);
        }

        private Multipart() {}

        /** Copies the multipart body, each part through {@code parts}, the rest with long lines cut. */
        static void rewrite(byte[] e, int bodyStart, String boundary, ByteArrayOutputStream out, PartWriter parts) {
            List<Delimiter> delimiters = delimiters(e, bodyStart, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
            if (delimiters.isEmpty()) {
                cut(e, bodyStart, e.length, out);
                return;
            }
            cut(e, bodyStart, delimiters.getFirst().start(), out);
            for (int k = 0; k < delimiters.size(); k++) {
                Delimiter d = delimiters.get(k);
                out.write(e, d.start(), d.next() - d.start());
                if (d.close()) {
                    cut(e, d.next(), e.length, out);
                    return;
                }
                int following = k + 1 < delimiters.size() ? delimiters.get(k + 1).start() : e.length;
                int partEnd = k + 1 < delimiters.size() ? beforeLineBreak(e, d.next(), following) : e.length;
                parts.write(Arrays.copyOfRange(e, d.next(), partEnd), out);
                out.write(e, partEnd, following - partEnd);
            }
        }

        private static void part(byte[] part, ByteArrayOutputStream out) {
            if (LineLimit.exceeded(part)) {
                entity(part, false, out);
            } else {
                out.writeBytes(part);
            }
        }

        // RFC 2046 5.1.1: the CRLF before a delimiter belongs to the delimiter
        private static int beforeLineBreak(byte[] e, int from, int delimiter) {
            int end = delimiter;
            if (end > from && e[end - 1] == '\n') {
                end--;
                if (end > from && e[end - 1] == '\r') {
                    end--;
                }
            }
            return end;
        }

        // lines that are "--boundary" or "--boundary--", white space (transport padding) allowed after them
        private static List<Delimiter> delimiters(byte[] e, int from, byte[] dash) {
            List<Delimiter> found = new ArrayList<>();
            int i = from;
            while (i < e.length) {
                int end = i;
                while (end < e.length && e[end] != '\n') {
                    end++;
                }
                int next = Math.min(end + 1, e.length);
                int stop = end > i && e[end - 1] == '\r' ? end - 1 : end;
                if (stop - i >= dash.length && Arrays.equals(e, i, i + dash.length, dash, 0, dash.length)) {
                    int j = i + dash.length;
                    boolean close = stop - j >= 2 && e[j] == '-' && e[j + 1] == '-';
                    if (blank(e, close ? j + 2 : j, stop)) {
                        found.add(new Delimiter(i, next, close));
                        if (close) {
                            return found;
                        }
                    }
                }
                i = next;
            }
            return found;
        }

        private static boolean blank(byte[] e, int from, int to) {
            for (int i = from; i < to; i++) {
                if (e[i] != ' ' && e[i] != '\t') {
                    return false;
                }
            }
            return true;
        }
    }
}
