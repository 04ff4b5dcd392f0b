package dev.petrel.mail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes the lines of a header section fit RFC 5322 2.1.1. Only lines over 998 octets change; all others stay as
 * they are. A long line is folded (RFC 5322 2.2.3: a CRLF put before white space, so that unfolding gives the
 * field back) into lines of about 78 octets. A word that alone is too long becomes RFC 2047 encoded words in
 * a field of unstructured text, which decode to the same word; in any other field it is cut at 998 octets, the
 * last resort, which puts a space into the value but lets the message through.
 */
final class HeaderFolding {

    // RFC 5322 2.1.1: lines SHOULD be at most 78 characters
    private static final int WIDTH = 78;

    // RFC 5322 3.6.5 (Subject, Comments) and RFC 2045 8 (Content-Description) are unstructured text, where
    // RFC 2047 5 (1) allows encoded words
    private static final Set<String> UNSTRUCTURED = Set.of("subject", "comments", "content-description");

    private HeaderFolding() {}

    /** The header section (its octets up to, without, the empty line) with every line at most 998 octets. */
    static byte[] fold(byte[] section) {
        if (!LineLimit.exceeded(section)) {
            return section;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(section.length + section.length / 16);
        String field = "";
        int i = 0;
        while (i < section.length) {
            int end = i;
            while (end < section.length && section[end] != '\n') {
                end++;
            }
            int stop = end > i && section[end - 1] == '\r' ? end - 1 : end;
            if (section[i] != ' ' && section[i] != '\t') {
                field = nameOf(section, i, stop);
            }
            if (stop - i > LineLimit.MAX) {
                foldLine(section, i, stop, UNSTRUCTURED.contains(field), out);
            } else {
                out.write(section, i, stop - i);
            }
            out.write(section, stop, Math.min(end + 1, section.length) - stop);
            i = end + 1;
        }
        return out.toByteArray();
    }

    private static String nameOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                return new String(b, from, i - from, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    // one physical line, folded: pieces that each start with white space (but the first, and the one after the
    // field's colon), joined greedily
    private static void foldLine(byte[] b, int from, int to, boolean unstructured, ByteArrayOutputStream out) {
        int column = 0;
        for (int[] piece : pieces(b, from, to)) {
            int length = piece[1] - piece[0];
            boolean foldable = isSpace(b[piece[0]]);
            if (foldable && column > 0 && column + length > WIDTH) {
                out.write('\r');
                out.write('\n');
                column = 0;
            }
            if (column + length <= LineLimit.MAX) {
                out.write(b, piece[0], length);
                column += length;
            } else if (unstructured && (foldable || column > 0)) {
                column = encodedWords(b, piece[0], piece[1], column, out);
            } else {
                column = cut(b, piece[0], piece[1], column, out);
            }
        }
    }

    // Fold points: before a space or tab that follows a visible character, when something visible comes later
    // (RFC 5322 3.2.2: no line of white space only). The field's name and colon make a piece of their own.
    private static List<int[]> pieces(byte[] b, int from, int to) {
        int lastVisible = to - 1;
        while (lastVisible >= from && isSpace(b[lastVisible])) {
            lastVisible--;
        }
        List<int[]> pieces = new ArrayList<>();
        int start = from;
        if (!isSpace(b[from])) {
            int colon = from;
            while (colon < to && b[colon] != ':') {
                colon++;
            }
            if (colon < to && colon + 1 < to && !isSpace(b[colon + 1])) {
                pieces.add(new int[] {from, colon + 1});
                start = colon + 1;
            }
        }
        for (int i = start + 1; i < lastVisible; i++) {
            if (isSpace(b[i]) && !isSpace(b[i - 1])) {
                pieces.add(new int[] {start, i});
                start = i;
            }
        }
        pieces.add(new int[] {start, to});
        return pieces;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    // RFC 2047 5 (1) and 6.2: encoded words separated by folding white space decode to the word, that space
    // ignored. Words cut at whole characters (RFC 2047 5: each encoded word holds whole characters).
    private static int encodedWords(byte[] b, int from, int to, int column, ByteArrayOutputStream out) {
        int start = from;
        while (start < to && isSpace(b[start])) {
            start++;
        }
        // an encoded word is separated by white space from what comes before it; a run too long for a line is
        // one space (RFC 5322 3.2.2: runs of white space are one space to a reader)
        String space = start > from && start - from < WIDTH ? new String(b, from, start - from, StandardCharsets.US_ASCII)
                : " ";
        String charset = utf8(b, start, to) ? "UTF-8" : "UNKNOWN-8BIT";
        // RFC 2047 2: an encoded word is at most 75 characters
        int room = 75 - ("=?" + charset + "?Q?" + "?=").length();
        List<String> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = start; i < to; ) {
            int next = characterEnd(b, i, to);
            String encoded = qEncoded(b, i, next);
            if (text.length() + encoded.length() > room) {
                words.add("=?" + charset + "?Q?" + text + "?=");
                text.setLength(0);
            }
            text.append(encoded);
            i = next;
        }
        words.add("=?" + charset + "?Q?" + text + "?=");
        int at = column;
        for (int k = 0; k < words.size(); k++) {
            String piece = (k == 0 ? space : " ") + words.get(k);
            if (at > 0 && at + piece.length() > WIDTH) {
                out.write('\r');
                out.write('\n');
                at = 0;
            }
            out.writeBytes(piece.getBytes(StandardCharsets.US_ASCII));
            at += piece.length();
        }
        return at;
    }

    // the end of the UTF-8 character that starts at i: its continuation octets go with it
    private static int characterEnd(byte[] b, int i, int to) {
        int j = i + 1;
        while (j < to && (b[j] & 0xc0) == 0x80 && j - i < 4) {
            j++;
        }
        return j;
    }

    // RFC 2047 4.2 and 5 (3): letters, digits and "!*+-/" as they are, a space as "_", all else "=XX"
    private static String qEncoded(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || "!*+-/".indexOf(c) >= 0) {
                s.append((char) c);
            } else if (c == ' ') {
                s.append('_');
            } else {
                s.append('=').append(String.format("%02X", c));
            }
        }
        return s.toString();
    }

    private static boolean utf8(byte[] b, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // The last resort for a word with nowhere to fold in a structured field: cut every 998 octets, each further
    // line starting with a space (RFC 5322 2.2.3 allows a fold only before white space, so one is added).
    private static int cut(byte[] b, int from, int to, int column, ByteArrayOutputStream out) {
        int i = from;
        int at = column;
        while (at + (to - i) > LineLimit.MAX) {
            int n = LineLimit.MAX - at;
            out.write(b, i, n);
            out.writeBytes(new byte[] {'\r', '\n', ' '});
            i += n;
            at = 1;
        }
        out.write(b, i, to - i);
        return at + (to - i);
    }
}
