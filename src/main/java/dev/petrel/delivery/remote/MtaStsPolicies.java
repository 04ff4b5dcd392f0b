package dev.petrel.delivery.remote;

import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsPolicyType;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Domain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The MTA-STS policies of destination domains (RFC 8461): discovered by the TXT record at {@code _mta-sts.DOMAIN},
 * fetched over HTTPS when its id is new, and kept until their max_age runs out. A cached policy outlives a missing
 * record or a failed fetch (RFC 8461 5.1), so an attacker who blocks both cannot switch it off.
 */
public final class MtaStsPolicies {

    /** How long the TXT record's answer (its id, or that there is none) is trusted before it is asked again. */
    static final Duration RECHECK = Duration.ofMinutes(5);

    /**
     * A domain's policy (null when it has none) until it expires, when its TXT record was last asked, and why a
     * published policy could not be had (null when it could, or none is published).
     */
    private record Cached(MtaStsPolicy policy, Instant expires, Instant checked, TlsResultType problem) {

        Optional<MtaStsPolicy> live(Instant now) {
            return policy != null && expires.isAfter(now) ? Optional.of(policy) : Optional.empty();
        }
    }

    private final Resolver resolver;
    private final Function<Domain, HttpsPolicyFetcher.Fetched> fetcher;
    private final Clock clock;
    private final Map<Domain, Cached> cache = new ConcurrentHashMap<>();

    MtaStsPolicies(Resolver resolver, Function<Domain, HttpsPolicyFetcher.Fetched> fetcher, Clock clock) {
        this.resolver = resolver;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** Policies fetched over HTTPS on port 443, with certificates verified against {@code settings}' trust store. */
    public static MtaStsPolicies of(Resolver resolver, RemoteSettings settings, Clock clock) {
        HttpsPolicyFetcher https = new HttpsPolicyFetcher(resolver, new TlsContexts(settings.trustStore()).factory(true),
                443, settings.timeouts().connect());
        return new MtaStsPolicies(resolver, https::fetch, clock);
    }

    /**
     * The domain's policy now, if it has one. The TXT record is asked at most every {@link #RECHECK}, so a busy
     * destination costs no DNS query per message.
     */
    public Optional<MtaStsPolicy> policyFor(Domain domain) {
        Instant now = clock.instant();
        Cached cached = cache.get(domain);
        if (cached != null && cached.checked().plus(RECHECK).isAfter(now)) {
            return cached.live(now);
        }
        Optional<MtaStsPolicy> live = cached == null ? Optional.empty() : cached.live(now);
        Optional<String> id = recordId(domain);
        Optional<MtaStsPolicy> result = live;
        TlsResultType problem = null;
        if (id.isPresent() && (live.isEmpty() || !live.get().id().equals(id.get()))) {
            HttpsPolicyFetcher.Fetched fetched = fetcher.apply(domain);
            problem = fetched.problem();
            if (fetched.body() != null) {
                try {
                    result = Optional.of(MtaStsPolicy.parse(fetched.body(), id.get()));
                } catch (IllegalArgumentException e) {
                    problem = TlsResultType.STS_POLICY_INVALID;
                }
            }
        }
        // a new policy lives max_age from now; one kept from before keeps its expiry (RFC 8461 5.1)
        Instant expires = result.isEmpty() ? now : result == live ? cached.expires() : now.plus(result.get().maxAge());
        cache.put(domain, new Cached(result.orElse(null), expires, now, result.isEmpty() ? problem : null));
        return result;
    }

    /** The policy that applies to the domain, as a TLS report names it (RFC 8460 4.4). */
    public AppliedTlsPolicy applied(Domain domain) {
        return policyFor(domain).map(p -> new AppliedTlsPolicy(TlsPolicyType.STS, p.lines(), p.mx()))
                .orElseGet(() -> problem(domain).isPresent()
                        ? new AppliedTlsPolicy(TlsPolicyType.STS, List.of(), List.of()) : AppliedTlsPolicy.NONE_FOUND);
    }

    /** Why the domain's published policy could not be had when last asked (RFC 8460 4.3.2.2); empty if it could. */
    public Optional<TlsResultType> problem(Domain domain) {
        Cached cached = cache.get(domain);
        return cached == null ? Optional.empty() : Optional.ofNullable(cached.problem());
    }

    /** True when the domain's policy is in enforce mode. */
    public boolean enforced(Domain domain) {
        return policyFor(domain).map(p -> p.mode() == MtaStsPolicy.Mode.ENFORCE).orElse(false);
    }

    // RFC 8461 3.1: exactly one record that starts with v=STSv1, with an id
    private Optional<String> recordId(Domain domain) {
        List<String> records = switch (resolver.lookupTxt("_mta-sts." + domain.name())) {
            case Lookup.Found<String> found -> found.records();
            default -> List.of();
        };
        List<String> sts = records.stream().filter(r -> r.strip().startsWith("v=STSv1")).toList();
        if (sts.size() != 1) {
            return Optional.empty();
        }
        for (String field : sts.getFirst().split(";")) {
            String f = field.strip();
            if (f.startsWith("id=") && f.length() > 3) {
                return Optional.of(f.substring(3).strip());
            }
        }
        return Optional.empty();
    }
}
