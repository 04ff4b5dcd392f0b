package dev.petrel.dns;

import java.util.Locale;

/**
 * One MX record (RFC 1035 3.3.9): a preference, lower is tried first, and the exchange host. The exchange is
 * lowercased and written without the trailing dot; the root, which RFC 7505 uses for a null MX, is {@code "."}.
 */
public record MxRecord(int preference, String exchange) {

    public static final String ROOT = ".";

    public MxRecord {
        if (preference < 0 || preference > 0xFFFF) {
            throw new IllegalArgumentException("MX preference is 16 bits: " + preference);
        }
        exchange = normalize(exchange);
    }

    /** RFC 7505 3: the exchange of a null MX is the root, a zero-length label. */
    public boolean isNullMx() {
        return exchange.equals(ROOT);
    }

    static String normalize(String name) {
        if (name == null || name.isEmpty() || name.equals(ROOT)) {
            return ROOT;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
