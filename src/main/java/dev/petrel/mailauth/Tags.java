package dev.petrel.mailauth;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 6376 3.2 tag=value lists, as DKIM signatures and key records (and DMARC records) write them. */
final class Tags {

    private Tags() {}

    /** The tags in order; {@link IllegalArgumentException} for a tag twice or one without "=". */
    static Map<String, String> parse(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String spec : list.split(";")) {
            if (spec.isBlank()) {
                continue; // a trailing ";" is allowed
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("tag without value: " + spec.strip());
            }
            String name = spec.substring(0, eq).strip();
            // folding white space inside a value is kept out (FWS in tag-value, RFC 6376 3.2)
            String value = spec.substring(eq + 1).replaceAll("[\\r\\n]+[ \\t]+", " ").strip();
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("tag " + name + " twice");
            }
        }
        return out;
    }
}
