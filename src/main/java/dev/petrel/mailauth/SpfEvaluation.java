package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of RFC 7208's check_host() and the includes and redirects it follows, with their shared limits. */
final class SpfEvaluation {

    // RFC 7208 4.6.4
    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_MX = 10;
    static final int MAX_PTR = 10;

    private static final Pattern MECHANISM = Pattern.compile(
            "([+\\-~?]?)(all|include|a|mx|ptr|ip4|ip6|exists)(?::([^/]+))?(?:/(\\d+))?(?://(\\d+))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IP6_MECHANISM = Pattern.compile("([+\\-~?]?)ip6:([0-9a-fA-F:.]+)(?:/(\\d+))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MODIFIER = Pattern.compile("([a-zA-Z][a-zA-Z0-9_.\\-]*)=(.*)");

    record Verdict(SpfResult.Outcome outcome, String reason) {}

    /** Ends the evaluation with an error outcome. */
    static final class Stop extends Exception {
        final SpfResult.Outcome outcome;

        Stop(SpfResult.Outcome outcome, String reason) {
            super(reason, null, false, false);
            this.outcome = outcome;
        }
    }

    private final Resolver resolver;
    private final InetAddress ip;
    private final String sender;
    private final String helo;
    private int lookups;
    private int voids;

    SpfEvaluation(Resolver resolver, InetAddress client, String sender, String helo) {
        this.resolver = resolver;
        this.ip = unmapped(client);
        this.sender = sender;
        this.helo = helo;
    }

    // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it carries (RFC 7208 5)
    private static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return a;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return a;
            }
        }
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
            return a;
        }
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }

    Verdict checkHost(String domain) {
        try {
            return new Verdict(evaluate(domain), null);
        } catch (Stop s) {
            return new Verdict(s.outcome, s.getMessage());
        }
    }

    private SpfResult.Outcome evaluate(String domain) throws Stop {
        if (!validDomain(domain)) {
            return SpfResult.Outcome.NONE; // RFC 7208 4.3
        }
        String record = record(domain);
        if (record == null) {
            return SpfResult.Outcome.NONE;
        }
        List<String> terms = new ArrayList<>();
        for (String t : record.substring("v=spf1".length()).split(" ")) {
            if (!t.isEmpty()) {
                terms.add(t);
            }
        }
        String redirect = null;
        boolean exp = false;
        List<String> directives = new ArrayList<>();
        for (String term : terms) {
            Matcher mod = MODIFIER.matcher(term);
            if (!MECHANISM.matcher(term).matches() && !IP6_MECHANISM.matcher(term).matches() && mod.matches()) {
                String name = mod.group(1).toLowerCase(Locale.ROOT);
                if (name.equals("redirect")) {
                    if (redirect != null) {
                        throw new Stop(SpfResult.Outcome.PERMERROR, "redirect twice");
                    }
                    redirect = mod.group(2);
                } else if (name.equals("exp")) {
                    if (exp) {
                        throw new Stop(SpfResult.Outcome.PERMERROR, "exp twice");
                    }
                    exp = true;
                }
                continue; // RFC 7208 6: unknown modifiers are ignored
            }
            directives.add(term);
        }
        // RFC 7208 4.6: a record with a syntax error is a permerror, whatever comes first
        for (String d : directives) {
            if (!MECHANISM.matcher(d).matches() && !IP6_MECHANISM.matcher(d).matches()) {
                throw new Stop(SpfResult.Outcome.PERMERROR, "unknown term " + d);
            }
        }
        for (String d : directives) {
            SpfResult.Outcome result = directive(d, domain);
            if (result != null) {
                return result;
            }
        }
        if (redirect != null) {
            countLookup();
            String target = expand(redirect, domain);
            SpfResult.Outcome r = evaluate(target);
            if (r == SpfResult.Outcome.NONE) {
                throw new Stop(SpfResult.Outcome.PERMERROR, "redirect to a domain without SPF");
            }
            return r;
        }
        return SpfResult.Outcome.NEUTRAL;
    }

    // RFC 7208 4.5: the one TXT record that starts with "v=spf1", or null
    private String record(String domain) throws Stop {
        List<String> found = switch (resolver.lookupTxt(domain)) {
            case Lookup.Found<String> f -> f.records();
            case Lookup.TemporaryFailure<String> t -> throw new Stop(SpfResult.Outcome.TEMPERROR, "DNS: " + t.reason());
            default -> List.of();
        };
        List<String> spf = found.stream()
                .filter(r -> r.regionMatches(true, 0, "v=spf1", 0, 6) && (r.length() == 6 || r.charAt(6) == ' '))
                .toList();
        if (spf.size() > 1) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "more than one SPF record");
        }
        return spf.isEmpty() ? null : spf.getFirst();
    }

    /** The directive's result when its mechanism matches, else null. */
    private SpfResult.Outcome directive(String term, String domain) throws Stop {
        Matcher ip6 = IP6_MECHANISM.matcher(term);
        if (ip6.matches()) {
            boolean match = ip instanceof Inet6Address && inNetwork(address(ip6.group(2), true),
                    prefix(ip6.group(3), 128));
            return match ? qualifier(ip6.group(1)) : null;
        }
        Matcher m = MECHANISM.matcher(term);
        if (!m.matches()) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "unknown term " + term);
        }
        String name = m.group(2).toLowerCase(Locale.ROOT);
        String arg = m.group(3);
        boolean match = switch (name) {
            case "all" -> {
                requireNone(arg, m.group(4), term);
                yield true;
            }
            case "include" -> include(require(arg, term), domain);
            case "a" -> a(arg == null ? domain : expand(arg, domain), m.group(4), m.group(5));
            case "mx" -> mx(arg == null ? domain : expand(arg, domain), m.group(4), m.group(5));
            case "ptr" -> ptr(arg == null ? domain : expand(arg, domain));
            case "ip4" -> ip instanceof Inet4Address
                    && inNetwork(address(require(arg, term), false), prefix(m.group(4), 32));
            case "exists" -> exists(expand(require(arg, term), domain));
            default -> throw new Stop(SpfResult.Outcome.PERMERROR, "unknown mechanism " + name);
        };
        return match ? qualifier(m.group(1)) : null;
    }

    private static void requireNone(String arg, String cidr, String term) throws Stop {
        if (arg != null || cidr != null) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "bad term " + term);
        }
    }

    private static String require(String arg, String term) throws Stop {
        if (arg == null || arg.isEmpty()) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "missing argument in " + term);
        }
        return arg;
    }

    private static SpfResult.Outcome qualifier(String q) {
        return switch (q) {
            case "-" -> SpfResult.Outcome.FAIL;
            case "~" -> SpfResult.Outcome.SOFTFAIL;
            case "?" -> SpfResult.Outcome.NEUTRAL;
            default -> SpfResult.Outcome.PASS;
        };
    }

    // RFC 7208 5.2
    private boolean include(String spec, String domain) throws Stop {
        countLookup();
        SpfResult.Outcome r = evaluate(expand(spec, domain));
        return switch (r) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case TEMPERROR -> throw new Stop(SpfResult.Outcome.TEMPERROR, "include: temporary error");
            case PERMERROR, NONE -> throw new Stop(SpfResult.Outcome.PERMERROR, "include of a domain without usable SPF");
        };
    }

    // RFC 7208 5.3
    private boolean a(String target, String cidr4, String cidr6) throws Stop {
        countLookup();
        return anyInNetwork(addresses(target, true), cidr4, cidr6);
    }

    // RFC 7208 5.4
    private boolean mx(String target, String cidr4, String cidr6) throws Stop {
        countLookup();
        List<MxRecord> mxs = switch (resolver.lookupMx(target)) {
            case Lookup.Found<MxRecord> f -> f.records();
            case Lookup.TemporaryFailure<MxRecord> t -> throw new Stop(SpfResult.Outcome.TEMPERROR, "DNS: " + t.reason());
            default -> {
                countVoid();
                yield List.of();
            }
        };
        if (mxs.size() > MAX_MX) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "more than " + MAX_MX + " MX records");
        }
        for (MxRecord mx : mxs) {
            if (anyInNetwork(addresses(mx.exchange(), false), cidr4, cidr6)) {
                return true;
            }
        }
        return false;
    }

    // RFC 7208 5.5: a name of the client's, validated by its forward look-up, in the target domain
    private boolean ptr(String target) throws Stop {
        countLookup();
        for (String name : validatedNames()) {
            String n = name.toLowerCase(Locale.ROOT);
            String t = target.toLowerCase(Locale.ROOT);
            if (n.equals(t) || n.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    private List<String> validatedNames() {
        List<String> names = switch (resolver.lookupPtr(reverseName())) {
            case Lookup.Found<String> f -> f.records();
            default -> List.of(); // a DNS error makes ptr not match (RFC 7208 5.5)
        };
        List<String> out = new ArrayList<>();
        for (String name : names.subList(0, Math.min(MAX_PTR, names.size()))) {
            String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            try {
                if (addresses(n, false).contains(ip)) {
                    out.add(n);
                }
            } catch (Stop e) {
                // a name that cannot be looked up is not validated
            }
        }
        return out;
    }

    // RFC 7208 5.7
    private boolean exists(String target) throws Stop {
        countLookup();
        return switch (resolver.lookupA(target)) {
            case Lookup.Found<Inet4Address> f -> true;
            case Lookup.TemporaryFailure<Inet4Address> t -> throw new Stop(SpfResult.Outcome.TEMPERROR, "DNS: " + t.reason());
            default -> {
                countVoid();
                yield false;
            }
        };
    }

    // A or AAAA records of the client's family
    private List<InetAddress> addresses(String name, boolean countVoid) throws Stop {
        Lookup<? extends InetAddress> lookup = ip instanceof Inet4Address ? resolver.lookupA(name) : resolver.lookupAaaa(name);
        return switch (lookup) {
            case Lookup.Found<? extends InetAddress> f -> new ArrayList<>(f.records());
            case Lookup.TemporaryFailure<? extends InetAddress> t ->
                    throw new Stop(SpfResult.Outcome.TEMPERROR, "DNS: " + t.reason());
            default -> {
                if (countVoid) {
                    countVoid();
                }
                yield List.of();
            }
        };
    }

    private boolean anyInNetwork(List<InetAddress> addresses, String cidr4, String cidr6) throws Stop {
        int bits = ip instanceof Inet4Address ? prefix(cidr4, 32) : prefix(cidr6, 128);
        for (InetAddress a : addresses) {
            if (inNetwork(a, bits)) {
                return true;
            }
        }
        return false;
    }

    private boolean inNetwork(InetAddress network, int bits) {
        byte[] a = ip.getAddress();
        byte[] b = network.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static int prefix(String digits, int max) throws Stop {
        if (digits == null) {
            return max;
        }
        // RFC 7208 5.6: ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), ip6-cidr-length at most three digits;
        // a longer one from a stranger's record is a permerror, not a number to overflow
        if (digits.length() > 3) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "bad prefix length /" + digits.substring(0, 4) + "...");
        }
        int n = Integer.parseInt(digits);
        if (n > max || digits.length() > 1 && digits.startsWith("0")) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "bad prefix length /" + digits);
        }
        return n;
    }

    private static InetAddress address(String text, boolean v6) throws Stop {
        boolean looksRight = v6 ? text.contains(":") : text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!looksRight) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "bad address " + text);
        }
        try {
            // a literal (checked above), so no DNS look-up happens here
            InetAddress a = InetAddress.getByName(text);
            if (v6 != (a instanceof Inet6Address)) {
                throw new Stop(SpfResult.Outcome.PERMERROR, "bad address " + text);
            }
            return a;
        } catch (java.net.UnknownHostException e) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "bad address " + text);
        }
    }

    private void countLookup() throws Stop {
        if (++lookups > MAX_LOOKUPS) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "more than " + MAX_LOOKUPS + " DNS lookups");
        }
    }

    private void countVoid() throws Stop {
        if (++voids > MAX_VOID_LOOKUPS) {
            throw new Stop(SpfResult.Outcome.PERMERROR, "more than " + MAX_VOID_LOOKUPS + " void lookups");
        }
    }

    // RFC 7208 4.3: a domain name of at least two labels, each of 1 to 63 octets
    private static boolean validDomain(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 253) {
            return false;
        }
        String[] labels = (domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain).split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String l : labels) {
            if (l.isEmpty() || l.length() > 63) {
                return false;
            }
        }
        return true;
    }

    private String reverseName() {
        return SpfMacros.reverse(ip);
    }

    private String expand(String spec, String domain) throws Stop {
        return new SpfMacros(ip, sender, helo, domain, this::validatedNameFor).expandDomain(spec);
    }

    // %{p}: a validated name of the client in the current domain if there is one, else any, else "unknown"
    private String validatedNameFor(String domain) {
        List<String> names = validatedNames();
        for (String n : names) {
            if (n.equalsIgnoreCase(domain) || n.toLowerCase(Locale.ROOT).endsWith("." + domain.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        return names.isEmpty() ? "unknown" : names.getFirst();
    }
}
