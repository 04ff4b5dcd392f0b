package dev.petrel.mail.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 encoded words in UTF-8 for text that is not ASCII: {@code =?UTF-8?Q?caf=C3=A9?=} or
 * {@code =?UTF-8?B?...?=}. The text is cut between characters, never inside one (RFC 2047 5: each word holds whole
 * characters), into words of at most 75 characters (RFC 2047 2). Q is chosen when it is not longer than B. And
 * back: unstructured text with encoded words in any charset Java knows, decoded.
 */
public final class EncodedWords {

    // RFC 2047 2: an encoded-word may not be more than 75 characters long
    static final int MAX_WORD = 75;
    private static final String PREFIX_Q = "=?UTF-8?Q?";
    private static final String PREFIX_B = "=?UTF-8?B?";
    private static final int OVERHEAD = PREFIX_Q.length() + 2;
    // RFC 2047 2: =?charset?encoding?encoded-text?=, no white space inside; RFC 2231 5 may add *language
    private static final Pattern WORD = Pattern.compile("=\\?([^?*\\s]+)(?:\\*[^?\\s]*)?\\?([BbQq])\\?([^?\\s]*)\\?=");

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

    /**
     * Unstructured text (a Subject, say) with its encoded words decoded (RFC 2047 6.1); white space between two
     * encoded words is dropped (6.2), so a word a writer split in two, as Python's email package splits a long one,
     * comes back whole. A word that cannot be decoded (a charset Java does not know, bad base64) stays as it is.
     */
    public static String decode(String text) {
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        boolean afterWord = false;
        while (m.find()) {
            String between = text.substring(last, m.start());
            Optional<String> word = decodeWord(m.group(1), m.group(2), m.group(3));
            if (!(afterWord && word.isPresent() && between.isBlank())) {
                out.append(between);
            }
            out.append(word.orElse(m.group()));
            afterWord = word.isPresent();
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    private static Optional<String> decodeWord(String charset, String encoding, String encoded) {
        try {
            byte[] bytes = encoding.equalsIgnoreCase("B") ? Base64.getDecoder().decode(encoded) : qDecode(encoded);
            return Optional.of(new String(bytes, Charset.forName(charset)));
        } catch (IllegalArgumentException e) {
            // an unknown or illegal charset name, or bad base64 or hex
            return Optional.empty();
        }
    }

    // RFC 2047 4.2: "_" is a space, "=XX" an octet in hex, anything else itself
    private static byte[] qDecode(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '=') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    throw new IllegalArgumentException("not =XX in hex");
                }
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(c == '_' ? ' ' : c);
            }
        }
        return out.toByteArray();
    }
}
