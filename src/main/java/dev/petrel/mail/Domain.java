package dev.petrel.mail;

import java.net.IDN;
import java.util.Locale;

/**
 * A domain name or address literal, as RFC 5321 4.1.2 spells them. Domains compare without regard to
 * case (RFC 5321 2.4); the ASCII form is kept lowercased. Internationalized names (RFC 6531) are held
 * in their A-label form, so two spellings of one name are equal.
 */
public record Domain(String name) {

    // RFC 5321 4.5.3.1.2: a domain is at most 255 octets
    public static final int MAX_LENGTH = 255;

    public Domain {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
    }

    /** Parses a domain or an address literal, throwing {@link IllegalArgumentException} when it is neither. */
    public static Domain parse(String text) {
        if (text.startsWith("[")) {
            return new Domain(parseLiteral(text));
        }
        String ascii = text;
        if (!isAscii(text)) {
            try {
                ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid internationalized domain: " + text, e);
            }
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("domain longer than 255 octets");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            checkLabel(label, text);
        }
        return new Domain(ascii);
    }

    // RFC 5321 4.1.2: sub-domain = Let-dig [Ldh-str]; a label is at most 63 octets (RFC 1035 2.3.4)
    private static void checkLabel(String label, String whole) {
        if (label.isEmpty() || label.length() > 63) {
            throw new IllegalArgumentException("invalid domain: " + whole);
        }
        if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            throw new IllegalArgumentException("invalid domain: " + whole);
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("invalid domain: " + whole);
            }
        }
    }

    // RFC 5321 4.1.3: address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
    private static String parseLiteral(String text) {
        if (!text.endsWith("]") || text.length() < 3) {
            throw new IllegalArgumentException("invalid address literal: " + text);
        }
        String inner = text.substring(1, text.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = inner.substring(5);
            if (!v6.matches("[0-9A-Fa-f:.]+") || !v6.contains(":") || !isIpv6(v6)) {
                throw new IllegalArgumentException("invalid IPv6 literal: " + text);
            }
            return "[IPv6:" + v6.toLowerCase(Locale.ROOT) + "]";
        }
        String[] octets = inner.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("invalid address literal: " + text);
        }
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("invalid IPv4 literal: " + text);
            }
        }
        return "[" + inner + "]";
    }

    // RFC 5321 4.1.3 IPv6-addr: at most one "::", eight groups in all. In brackets, the JDK parses the text as
    // an IPv6 literal and never looks the name up.
    private static boolean isIpv6(String v6) {
        try {
            java.net.InetAddress.getByName("[" + v6 + "]");
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public boolean isAddressLiteral() {
        return name.startsWith("[");
    }

    /** The Unicode form for display, when the name is internationalized. */
    public String unicode() {
        return isAddressLiteral() ? name : IDN.toUnicode(name);
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
