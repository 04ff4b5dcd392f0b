package dev.petrel.delivery.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An MTA-STS policy (RFC 8461 3.2): in which mode, for which MX host names, for how long.
 *
 * @param id the id of the TXT record it was fetched for (RFC 8461 3.1), to know when it changed
 */
public record MtaStsPolicy(Mode mode, List<String> mx, Duration maxAge, String id) {

    // RFC 8461 3.2: max_age is at most 31557600 seconds
    static final long MAX_AGE_LIMIT = 31_557_600;

    public enum Mode { ENFORCE, TESTING, NONE }

    public MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Parses the policy file's "key: value" lines; {@link IllegalArgumentException} when it is not valid. */
    static MtaStsPolicy parse(String body, String id) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isBlank() || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = switch (value) {
                    case "enforce" -> Mode.ENFORCE;
                    case "testing" -> Mode.TESTING;
                    case "none" -> Mode.NONE;
                    default -> throw new IllegalArgumentException("unknown mode " + value);
                };
                case "max_age" -> maxAge = Long.parseLong(value);
                case "mx" -> mx.add(value.toLowerCase(Locale.ROOT));
                default -> { } // RFC 8461 3.2: unknown fields are ignored
            }
        }
        if (!"STSv1".equals(version) || mode == null || maxAge == null || maxAge < 0 || maxAge > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("not a valid STSv1 policy");
        }
        if (mode != Mode.NONE && mx.isEmpty()) {
            throw new IllegalArgumentException("a policy in mode " + mode + " names its MX hosts");
        }
        return new MtaStsPolicy(mode, mx, Duration.ofSeconds(maxAge), id);
    }

    /** The policy's lines, as a TLS report gives them in its policy-string (RFC 8460 4.4). */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(List.of("version: STSv1", "mode: " + mode.name().toLowerCase(Locale.ROOT)));
        mx.forEach(m -> lines.add("mx: " + m));
        lines.add("max_age: " + maxAge.toSeconds());
        return lines;
    }

    /** RFC 8461 4.1: a host matches a name exactly, or "*.example.com" by exactly one more label on the left. */
    public boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String pattern : mx) {
            if (pattern.startsWith("*.")) {
                String rest = pattern.substring(1);
                if (h.endsWith(rest) && h.indexOf('.') == h.length() - rest.length()) {
                    return true;
                }
            } else if (pattern.equals(h)) {
                return true;
            }
        }
        return false;
    }
}
