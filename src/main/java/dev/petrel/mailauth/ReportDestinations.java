package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Address;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a domain's aggregate reports may go: the {@code mailto:} URIs of its {@code rua} with their size limits
 * (RFC 7489 6.2), each checked against external destination verification (RFC 7489 7.1) when it lies in another
 * organizational domain.
 */
public final class ReportDestinations {

    // RFC 7489 6.2: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]
    private static final Pattern URI = Pattern.compile("(?i)mailto:([^!]+)(?:!(\\d{1,12})([kmgt]?))?");

    /**
     * One place to send reports.
     *
     * @param maxSize the largest report in octets the domain takes there, or -1 for no limit
     */
    public record Destination(Address address, long maxSize) {

        /** Whether a report of this many octets may go here (RFC 7489 6.2: a larger one is not sent). */
        public boolean takes(long size) {
            return maxSize < 0 || size <= maxSize;
        }
    }

    /** The outcome of external destination verification. */
    public enum Verification { AUTHORIZED, REFUSED, TEMPORARY_FAILURE }

    private final Resolver resolver;
    private final PublicSuffixList suffixes;

    public ReportDestinations(Resolver resolver, PublicSuffixList suffixes) {
        this.resolver = resolver;
        this.suffixes = suffixes;
    }

    /** The mailto: URIs of an rua list, in its order; other schemes and URIs that do not parse are left out. */
    public static List<Destination> mailto(List<String> rua) {
        List<Destination> out = new ArrayList<>();
        for (String uri : rua) {
            Matcher m = URI.matcher(uri.strip());
            if (!m.matches()) {
                continue;
            }
            try {
                // RFC 3986 percent-encoding; a plus is a plus here, not a space as in a form
                Address address = Address.of(URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8));
                out.add(new Destination(address, m.group(2) == null ? -1 : size(m.group(2), m.group(3))));
            } catch (IllegalArgumentException e) {
                // not an address: nowhere to send
            }
        }
        return out;
    }

    private static long size(String digits, String unit) {
        int shift = switch (unit.toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return Long.parseLong(digits) << shift;
    }

    /**
     * RFC 7489 7.1: a destination outside the policy domain's organizational domain takes its reports only when
     * {@code <policy-domain>._report._dmarc.<destination-domain>} has a TXT record starting with {@code v=DMARC1}.
     */
    public Verification verify(String policyDomain, Destination destination) {
        String target = destination.address().domain().name().toLowerCase(Locale.ROOT);
        if (suffixes.organizationalDomain(target).equals(suffixes.organizationalDomain(policyDomain))) {
            return Verification.AUTHORIZED;
        }
        return switch (resolver.lookupTxt(policyDomain + "._report._dmarc." + target)) {
            case Lookup.Found<String> f -> f.records().stream()
                    .anyMatch(r -> r.strip().matches("(?i)v\\s*=\\s*DMARC1\\s*(;.*)?"))
                    ? Verification.AUTHORIZED : Verification.REFUSED;
            case Lookup.TemporaryFailure<String> t -> Verification.TEMPORARY_FAILURE;
            default -> Verification.REFUSED;
        };
    }
}
