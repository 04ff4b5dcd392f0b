package dev.petrel.mail.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RFC 2047 encoded words in UTF-8 for text that is not ASCII: {@code =?UTF-8?Q?caf=C3=A9?=} or
 * {@code =?UTF-8?B?...?=}. The text is cut between characters, never inside one (RFC 2047 5: each word holds whole
 * characters), into words of at most 75 characters (RFC 2047 2). Q is chosen when it is not longer than B.
 */
final class EncodedWords {

    // RFC 2047 2: an encoded-word may not be more than 75 characters long
    static final int MAX_WORD = 75;
    private static final String PREFIX_Q = "=?UTF-8?Q?";
    private static final String PREFIX_B = "=?UTF-8?B?";
    private static final int OVERHEAD = PREFIX_Q.length() + 2;

    private EncodedWords() {
    }

    /**
     * The words for {@code text}, the first at most {@code firstMax} characters long (so it fits on the line it
     * starts), the others at most 75. Whitespace between the words is not part of the text (RFC 2047 6.2).
     */
    static List<String> encode(String text, int firstMax) {
        boolean q = qLength(text) <= bLength(text);
        List<String> words = new ArrayList<>();
        int max = Math.max(OVERHEAD + 12, Math.min(firstMax, MAX_WORD));
        int start = 0;
        while (start < text.length() || words.isEmpty()) {
            int end = start;
            while (end < text.length()) {
                int next = end + Character.charCount(text.codePointAt(end));
                String piece = text.substring(start, next);
                if (OVERHEAD + (q ? qLength(piece) : bLength(piece)) > max && end > start) {
                    break;
                }
                end = next;
            }
            end = afterLastSpace(text, start, end);
            String piece = text.substring(start, end);
            words.add(q ? PREFIX_Q + qEncode(piece) + "?=" : PREFIX_B + bEncode(piece) + "?=");
            start = end;
            max = MAX_WORD;
        }
        return words;
    }

    /**
     * Where to end a word that would otherwise end at {@code end}: after the last space in it, when the text goes
     * on. The space stays inside the encoded word, so a reader that follows RFC 2047 6.2 (white space between
     * encoded words is dropped) and one that keeps it (Python's email package does in display names) read the
     * same words.
     */
    private static int afterLastSpace(String text, int start, int end) {
        if (end >= text.length()) {
            return end;
        }
        int space = text.lastIndexOf(' ', end - 1);
        return space >= start && space + 1 < end ? space + 1 : end;
    }

    // RFC 2047 5 (3): in a phrase, Q may leave only letters, digits and "!*+-/" as they are; "_" stands for space
    private static boolean isQSafe(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || "!*+-/".indexOf(b) >= 0;
    }

    private static int qLength(String text) {
        int n = 0;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            n += isQSafe(b) || b == ' ' ? 1 : 3;
        }
        return n;
    }

    private static String qEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b == ' ') {
                out.append('_');
            } else if (isQSafe(b)) {
                out.append((char) b);
            } else {
                out.append('=').append(Hex.upper(b & 0xff));
            }
        }
        return out.toString();
    }

    private static int bLength(String text) {
        return (text.getBytes(StandardCharsets.UTF_8).length + 2) / 3 * 4;
    }

    private static String bEncode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
