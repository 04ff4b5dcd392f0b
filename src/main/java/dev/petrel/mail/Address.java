package dev.petrel.mail;

/**
 * A mailbox, RFC 5321 4.1.2: {@code Local-part "@" ( Domain / address-literal )}. The local part is
 * kept as given (RFC 5321 2.4: its case may matter to the receiving host), without the quotes of a
 * Quoted-string; {@link #toString()} quotes it again when needed.
 */
public record Address(String localPart, Domain domain) {

    // RFC 5321 4.5.3.1.1: a local part is at most 64 octets
    public static final int MAX_LOCAL_PART = 64;

    public Address {
        if (localPart == null || localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
    }

    /**
     * Parses a mailbox. UTF-8 in the local part or domain is allowed only when {@code utf8} is set, that is
     * when the transaction uses SMTPUTF8 (RFC 6531 3.3).
     */
    public static Address parse(String text, boolean utf8) {
        int at = findDomainSeparator(text);
        if (at <= 0 || at == text.length() - 1) {
            throw new IllegalArgumentException("not a mailbox: " + text);
        }
        String rawLocal = text.substring(0, at);
        String local = rawLocal.startsWith("\"") ? parseQuoted(rawLocal, utf8) : parseDotString(rawLocal, utf8);
        if (rawLocal.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
            throw new IllegalArgumentException("local part longer than 64 octets");
        }
        String domainText = text.substring(at + 1);
        if (!utf8 && !Domain.isAscii(domainText)) {
            throw new IllegalArgumentException("non-ASCII domain without SMTPUTF8");
        }
        return new Address(local, Domain.parse(domainText));
    }

    /** Parses a mailbox that must be valid, for configuration and tests. */
    public static Address of(String text) {
        return parse(text, true);
    }

    // The separator is the last "@" outside a quoted string.
    private static int findDomainSeparator(String text) {
        boolean quoted = false;
        int at = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '@' && !quoted) {
                at = i;
            }
        }
        return quoted ? -1 : at;
    }

    // RFC 5321 4.1.2: Dot-string = Atom *("." Atom)
    private static String parseDotString(String s, boolean utf8) {
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            throw new IllegalArgumentException("invalid dot-string: " + s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c, utf8)) {
                throw new IllegalArgumentException("invalid character in local part: " + s);
            }
        }
        return s;
    }

    // RFC 5321 4.1.2: Quoted-string = DQUOTE *QcontentSMTP DQUOTE
    private static String parseQuoted(String s, boolean utf8) {
        if (s.length() < 2 || !s.endsWith("\"")) {
            throw new IllegalArgumentException("invalid quoted string: " + s);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                // quoted-pairSMTP = %d92 %d32-126
                if (i + 1 >= s.length() - 1 || s.charAt(i + 1) < 32 || s.charAt(i + 1) > 126) {
                    throw new IllegalArgumentException("invalid quoted pair: " + s);
                }
                out.append(s.charAt(++i));
            } else if ((c >= 32 && c <= 126 && c != '"') || (utf8 && c > 127)) {
                // qtextSMTP = %d32-33 / %d35-91 / %d93-126, and UTF8-non-ascii with SMTPUTF8
                out.append(c);
            } else {
                throw new IllegalArgumentException("invalid character in quoted string: " + s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty quoted local part");
        }
        return out.toString();
    }

    // RFC 5322 3.2.3 atext, and RFC 6531 3.3 UTF8-non-ascii
    static boolean isAtext(char c, boolean utf8) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        if ("!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0) {
            return true;
        }
        return utf8 && c > 127;
    }

    /** Whether the address needs SMTPUTF8 to be carried (RFC 6531). */
    public boolean needsUtf8() {
        // the domain is held as A-labels, which any server takes; only a UTF-8 local part needs the extension
        return !Domain.isAscii(localPart);
    }

    private boolean localPartNeedsQuotes() {
        try {
            parseDotString(localPart, true);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        if (!localPartNeedsQuotes()) {
            return localPart + "@" + domain;
        }
        return "\"" + localPart.replace("\\", "\\\\").replace("\"", "\\\"") + "\"@" + domain;
    }
}
