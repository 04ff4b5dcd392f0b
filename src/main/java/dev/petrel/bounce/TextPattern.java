package dev.petrel.bounce;

import java.util.regex.Pattern;

/**
 * One text of a rule: a regular expression found anywhere in a failure's text, without regard to the case of ASCII
 * letters. Most expressions begin with words that every match must hold ({@code rate limit}, {@code spamhaus}); a
 * text without those words is passed over with one {@link String#contains} instead of a run of the expression at each
 * of its positions, which is what classifying costs most.
 *
 * @param literal lowercase ASCII that every match holds, or "" when the expression gives none that is easy to see
 */
record TextPattern(Pattern pattern, String literal) {

    // characters that stand for themselves in a Java regular expression, outside a character class
    private static final String PLAIN = " -_:;,'\"/<>@=!%&#~`";
    private static final int MIN_LITERAL = 3;

    static TextPattern compile(String regex) {
        return new TextPattern(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), requiredLiteral(regex));
    }

    /** {@code folded} is {@code text} through {@link #fold}, made once for all the patterns tried on it. */
    boolean foundIn(String text, String folded) {
        return folded.contains(literal) && pattern.matcher(text).find();
    }

    /** The text with its ASCII capitals made small, as the patterns' case-insensitive matching takes them. */
    static String fold(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The plain characters the expression starts with (after any {@code \b}), which every match holds, up to the first
     * one that is not plain or that a quantifier makes optional; "" when the expression has an alternative at its top
     * level (then no start is required) or starts with fewer than three.
     */
    static String requiredLiteral(String regex) {
        if (alternativeAtTop(regex)) {
            return "";
        }
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (regex.startsWith("\\b", i)) {
            i += 2;
        }
        while (i < regex.length()) {
            char c = regex.charAt(i);
            boolean escaped = c == '\\' && i + 1 < regex.length() && isEscapedPunctuation(regex.charAt(i + 1));
            if (!escaped && !isPlain(c)) {
                break;
            }
            int next = i + (escaped ? 2 : 1);
            if (next < regex.length() && "?*{".indexOf(regex.charAt(next)) >= 0) {
                break;
            }
            literal.append(escaped ? regex.charAt(i + 1) : c);
            if (next < regex.length() && regex.charAt(next) == '+') {
                break;
            }
            i = next;
        }
        return literal.length() >= MIN_LITERAL ? fold(literal.toString()) : "";
    }

    private static boolean isPlain(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || PLAIN.indexOf(c) >= 0);
    }

    // a backslash before any ASCII character that is neither a letter nor a digit makes it stand for itself
    private static boolean isEscapedPunctuation(char c) {
        return c < 128 && c > ' ' && !Character.isLetterOrDigit(c);
    }

    private static boolean alternativeAtTop(String regex) {
        int groups = 0;
        int classes = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                classes++;
            } else if (c == ']' && classes > 0) {
                classes--;
            } else if (classes == 0 && c == '(') {
                groups++;
            } else if (classes == 0 && c == ')') {
                groups--;
            } else if (classes == 0 && groups == 0 && c == '|') {
                return true;
            }
        }
        return false;
    }
}
