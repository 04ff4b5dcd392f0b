package dev.petrel.mailauth;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** RFC 7208 7: macros in domain-specs, such as {@code %{ir}.%{v}._spf.%{d}}. */
final class SpfMacros {

    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private final String domain;
    private final Function<String, String> validatedName;

    SpfMacros(InetAddress ip, String sender, String helo, String domain, Function<String, String> validatedName) {
        this.ip = ip;
        this.sender = sender;
        this.helo = helo;
        this.domain = domain;
        this.validatedName = validatedName;
    }

    /** Expands a domain-spec; a name longer than 253 octets loses labels on the left (RFC 7208 7.3). */
    String expandDomain(String spec) throws SpfEvaluation.Stop {
        String out = expand(spec);
        while (out.length() > 253 && out.indexOf('.') >= 0) {
            out = out.substring(out.indexOf('.') + 1);
        }
        return out;
    }

    String expand(String spec) throws SpfEvaluation.Stop {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= spec.length()) {
                throw bad(spec);
            }
            char n = spec.charAt(++i);
            switch (n) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                case '{' -> {
                    int close = spec.indexOf('}', i);
                    if (close < 0) {
                        throw bad(spec);
                    }
                    out.append(macro(spec.substring(i + 1, close), spec));
                    i = close;
                }
                default -> throw bad(spec);
            }
        }
        return out.toString();
    }

    // macro-letter *DIGIT [ "r" ] *delimiter
    private String macro(String body, String spec) throws SpfEvaluation.Stop {
        if (body.isEmpty()) {
            throw bad(spec);
        }
        char letter = body.charAt(0);
        String value = switch (Character.toLowerCase(letter)) {
            case 's' -> sender;
            case 'l' -> sender.substring(0, Math.max(0, sender.lastIndexOf('@')));
            case 'o' -> sender.substring(sender.lastIndexOf('@') + 1);
            case 'd' -> domain;
            case 'i' -> dotted(ip);
            case 'p' -> validatedName.apply(domain);
            case 'v' -> ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            default -> throw bad(spec); // c, r and t are for explanations only
        };
        if (Character.toLowerCase(letter) == 'l' && value.isEmpty()) {
            value = "postmaster"; // RFC 7208 4.3: an empty local part is "postmaster"
        }
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            i++;
        }
        int keep = i > digitsStart ? keep(body.substring(digitsStart, i), spec) : -1;
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        if (!delimiters.chars().allMatch(ch -> ".-+,/_=".indexOf(ch) >= 0)) {
            throw bad(spec);
        }
        String result = transform(value, delimiters.isEmpty() ? "." : delimiters, reverse, keep);
        // an upper-case macro letter asks for URL escaping (RFC 7208 7.3)
        return Character.isUpperCase(letter) ? URLEncoder.encode(result, StandardCharsets.UTF_8).replace("+", "%20")
                : result;
    }

    // RFC 7208 7.3: DIGIT keeps that many right-hand parts; zero is not allowed, and any number above the parts
    // there are keeps them all (a value past int, from a stranger's record, is no reason to fail)
    private static int keep(String digits, String spec) throws SpfEvaluation.Stop {
        String significant = digits.replaceFirst("^0+", "");
        if (significant.isEmpty()) {
            throw bad(spec);
        }
        return significant.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(significant);
    }

    private static String transform(String value, String delimiters, boolean reverse, int keep) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (delimiters.indexOf(c) >= 0) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep > 0 && keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        return String.join(".", parts);
    }

    /** %{i}: dotted quad, or for IPv6 every nibble as a label (RFC 7208 7.3). */
    static String dotted(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        StringBuilder out = new StringBuilder();
        for (byte b : ip.getAddress()) {
            out.append(out.isEmpty() ? "" : ".").append(Character.forDigit((b >> 4) & 0xf, 16)).append('.')
                    .append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }

    /** The PTR name of an address: 4.3.2.1.in-addr.arpa, or the nibbles reversed under ip6.arpa. */
    static String reverse(InetAddress ip) {
        List<String> parts = new ArrayList<>(List.of(dotted(ip).split("\\.")));
        Collections.reverse(parts);
        return String.join(".", parts) + (ip instanceof Inet4Address ? ".in-addr.arpa" : ".ip6.arpa");
    }

    private static SpfEvaluation.Stop bad(String spec) {
        return new SpfEvaluation.Stop(SpfResult.Outcome.PERMERROR, "bad macro in " + spec);
    }
}
