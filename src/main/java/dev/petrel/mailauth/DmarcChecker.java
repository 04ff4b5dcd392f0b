package dev.petrel.mailauth;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.dmarc.PublishedPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * DMARC (RFC 7489): the policy of the domain of the message's From, found at {@code _dmarc.} of that domain or
 * of its organizational domain, and whether an SPF or DKIM pass is aligned with that domain.
 */
public final class DmarcChecker {

    private final Resolver resolver;
    private final PublicSuffixList suffixes;
    private final RandomGenerator random;

    /** @param random samples messages for a pct below 100 */
    public DmarcChecker(Resolver resolver, PublicSuffixList suffixes, RandomGenerator random) {
        this.resolver = resolver;
        this.suffixes = suffixes;
        this.random = random;
    }

    public DmarcResult check(String fromDomain, List<DkimResult> dkim, SpfResult spf) {
        if (fromDomain == null) {
            return new DmarcResult(DmarcResult.Outcome.NONE, null, null, "no single From domain");
        }
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String org = suffixes.organizationalDomain(from);
        Map<String, String> record;
        boolean atOrg = false;
        try {
            record = record("_dmarc." + from);
            if (record == null && !org.equals(from)) {
                // RFC 7489 6.6.3: then the organizational domain's record
                record = record("_dmarc." + org);
                atOrg = true;
            }
        } catch (TemporaryDnsFailure e) {
            return new DmarcResult(DmarcResult.Outcome.TEMPERROR, from, null, "DNS: " + e.getMessage());
        }
        if (record == null) {
            return new DmarcResult(DmarcResult.Outcome.NONE, from, null, null);
        }
        DmarcResult.Policy p = policy(record.get("p"));
        if (p == null) {
            return new DmarcResult(DmarcResult.Outcome.NONE, from, null, "record without a valid p=");
        }
        return evaluate(from, atOrg ? org : from, record, p, atOrg, dkim, spf);
    }

    // RFC 7489 6.6.2: an aligned pass of either method passes; a failure gets the policy, after pct
    private DmarcResult evaluate(String from, String recordDomain, Map<String, String> record, DmarcResult.Policy p,
                                 boolean atOrg, List<DkimResult> dkim, SpfResult spf) {
        DmarcResult.Policy sp = policy(record.get("sp"));
        DmarcResult.Policy applied = atOrg && sp != null ? sp : p;
        boolean strictDkim = "s".equalsIgnoreCase(record.get("adkim"));
        boolean strictSpf = "s".equalsIgnoreCase(record.get("aspf"));
        boolean dkimAligned = dkim.stream().anyMatch(d -> d.outcome() == DkimResult.Outcome.PASS && d.domain() != null
                && aligned(d.domain(), from, strictDkim));
        boolean spfAligned = spf != null && spf.outcome() == SpfResult.Outcome.PASS
                && aligned(spf.domain(), from, strictSpf);
        PublishedPolicy published = published(recordDomain, record, p, sp);
        if (dkimAligned || spfAligned) {
            return new DmarcResult(DmarcResult.Outcome.PASS, from, applied, null,
                    new DmarcResult.Evaluation(published, dkimAligned, spfAligned, false));
        }
        DmarcResult.Policy sampled = sampled(applied, published.pct());
        return new DmarcResult(DmarcResult.Outcome.FAIL, from, sampled, null,
                new DmarcResult.Evaluation(published, false, false, sampled != applied));
    }

    // RFC 7489 6.3: the tags' defaults (adkim and aspf r, sp as p, pct 100, fo 0); rua as a comma-separated list
    private static PublishedPolicy published(String domain, Map<String, String> record, DmarcResult.Policy p,
                                             DmarcResult.Policy sp) {
        String rua = record.getOrDefault("rua", "").strip();
        return new PublishedPolicy(domain, "s".equalsIgnoreCase(record.get("adkim")) ? "s" : "r",
                "s".equalsIgnoreCase(record.get("aspf")) ? "s" : "r", p.value(), (sp != null ? sp : p).value(),
                percent(record.get("pct")), record.getOrDefault("fo", "0").strip(),
                rua.isEmpty() ? List.of() : Arrays.stream(rua.split(",")).map(String::strip).toList());
    }

    // RFC 7489 3.1: strict is the same name; relaxed the same organizational domain
    private boolean aligned(String domain, String from, boolean strict) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (strict) {
            return d.equals(from);
        }
        return suffixes.organizationalDomain(d).equals(suffixes.organizationalDomain(from));
    }

    // RFC 7489 6.6.4: with pct below 100, the messages not sampled get the next weaker policy
    private DmarcResult.Policy sampled(DmarcResult.Policy policy, int percent) {
        if (percent >= 100 || random.nextInt(100) < percent) {
            return policy;
        }
        return switch (policy) {
            case REJECT -> DmarcResult.Policy.QUARANTINE;
            case QUARANTINE, NONE -> DmarcResult.Policy.NONE;
        };
    }

    private static int percent(String pct) {
        if (pct == null) {
            return 100;
        }
        try {
            return Math.max(0, Math.min(100, Integer.parseInt(pct.strip())));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static DmarcResult.Policy policy(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> DmarcResult.Policy.NONE;
            case "quarantine" -> DmarcResult.Policy.QUARANTINE;
            case "reject" -> DmarcResult.Policy.REJECT;
            default -> null;
        };
    }

    private static final class TemporaryDnsFailure extends Exception {
        TemporaryDnsFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    // RFC 7489 6.6.3: the one record that starts with v=DMARC1; none, or several, is no policy
    private Map<String, String> record(String name) throws TemporaryDnsFailure {
        List<String> records = switch (resolver.lookupTxt(name)) {
            case Lookup.Found<String> f -> f.records();
            case Lookup.TemporaryFailure<String> t -> throw new TemporaryDnsFailure(t.reason());
            default -> List.of();
        };
        List<String> dmarc = records.stream().filter(r -> r.strip().matches("(?i)v\\s*=\\s*DMARC1\\s*(;.*)?")).toList();
        if (dmarc.size() != 1) {
            return null;
        }
        try {
            return Tags.parse(dmarc.getFirst());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
