package dev.petrel.delivery.remote;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.Resolver;
import dev.petrel.dns.Route;
import dev.petrel.dns.TlsaRecord;
import java.util.List;

/**
 * DANE for SMTP (RFC 7672): the TLSA records of MX hosts whose MX and address records were DNSSEC-authenticated,
 * looked up at {@code _25._tcp.HOST} (RFC 7672 2.2.3; the port is SMTP's, whatever port tests point delivery to).
 * Insecure answers mean no DANE; a failed look-up means the host is not used. Without a validating resolver
 * ({@code [dns] dnssec = false}) no answer is secure, and DANE never applies.
 */
public final class DanePolicies {

    /** DANE switched off ({@code [delivery] dane = false}): every host is as if it had no TLSA records. */
    public static final DanePolicies OFF = new DanePolicies(null);

    // RFC 7672 2.2.3: the TLSA records of an MX host are those of port 25 over TCP
    static final String PREFIX = "_25._tcp.";

    private final Resolver resolver;

    /** DANE with TLSA records from {@code resolver}, which must say which answers are secure. */
    public DanePolicies(Resolver resolver) {
        this.resolver = resolver;
    }

    /** What DANE asks of connections to {@code host}. */
    HostDane forHost(Route.Host host) {
        if (resolver == null || !host.secure()) {
            return new HostDane.None();
        }
        return switch (resolver.lookupTlsa(PREFIX + host.name())) {
            case Lookup.Found<TlsaRecord> found when found.secure() -> decide(found.records());
            case Lookup.TemporaryFailure<TlsaRecord> failure -> new HostDane.LookupFailed(failure.reason());
            // an insecure answer, or authenticated denial (NODATA, NXDOMAIN): no DANE (RFC 7672 2.2.1)
            default -> new HostDane.None();
        };
    }

    private static HostDane decide(List<TlsaRecord> records) {
        List<TlsaRecord> usable = records.stream().filter(TlsaMatcher::usable).toList();
        return usable.isEmpty() ? new HostDane.EncryptOnly() : new HostDane.Authenticate(usable);
    }

    /**
     * True when DANE applies to some host of the route; then it, not MTA-STS, decides (RFC 8461 2: a sender that
     * implements both uses DANE where the domain has TLSA records).
     */
    public boolean applies(Route route) {
        return route.hosts().stream().anyMatch(h -> !(forHost(h) instanceof HostDane.None));
    }
}
