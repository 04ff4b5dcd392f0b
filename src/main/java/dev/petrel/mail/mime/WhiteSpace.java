package dev.petrel.mail.mime;

/**
 * White space by any Unicode definition, no-break space included: readers (Python's email package among them)
 * drop it around names and values, so the composer keeps names and values without it.
 */
final class WhiteSpace {

    private WhiteSpace() {
    }

    static boolean is(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** {@code s} without white space at its ends; null stays null. */
    static String strip(String s) {
        if (s == null) {
            return null;
        }
        int start = 0;
        int end = s.length();
        while (start < end && is(s.charAt(start))) {
            start++;
        }
        while (end > start && is(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
