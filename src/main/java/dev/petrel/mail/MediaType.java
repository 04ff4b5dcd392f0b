package dev.petrel.mail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Content-Type field's media type and parameters (RFC 2045 5.1), as far as rewriting long lines needs them:
 * lower-case type and subtype, parameter names lower-cased, quoted values unquoted.
 */
public record MediaType(String type, Map<String, String> parameters) {

    // RFC 2045 5.2: the default when the field is absent
    static final MediaType TEXT_PLAIN = new MediaType("text/plain", Map.of());

    public static MediaType of(HeaderSection section) {
        List<HeaderField> fields = section.all("Content-Type");
        return fields.isEmpty() ? TEXT_PLAIN : parse(fields.getFirst().unfoldedValue());
    }

    public static MediaType parse(String value) {
        List<String> items = split(value);
        String type = items.getFirst().strip().toLowerCase(Locale.ROOT);
        if (!type.contains("/")) {
            // RFC 2045 5.2: a field that cannot be read counts as text/plain
            return TEXT_PLAIN;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String item : items.subList(1, items.size())) {
            int equals = item.indexOf('=');
            if (equals > 0) {
                parameters.putIfAbsent(item.substring(0, equals).strip().toLowerCase(Locale.ROOT),
                        unquoted(item.substring(equals + 1).strip()));
            }
        }
        return new MediaType(type, parameters);
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    boolean multipart() {
        return type.startsWith("multipart/");
    }

    boolean text() {
        return type.startsWith("text/");
    }

    /** A whole message inside (RFC 2046 5.2.1, RFC 6532 3.7), or only its header section (RFC 6533 6.3). */
    boolean encapsulated() {
        return type.equals("message/rfc822") || type.equals("message/global") || type.equals("text/rfc822-headers")
                || type.equals("message/global-headers");
    }

    // the value split at semicolons that are not inside a quoted string
    private static List<String> split(String value) {
        List<String> items = new java.util.ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && quoted && i + 1 < value.length()) {
                item.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                items.add(item.toString());
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        items.add(item.toString());
        return items;
    }

    private static String unquoted(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
}
