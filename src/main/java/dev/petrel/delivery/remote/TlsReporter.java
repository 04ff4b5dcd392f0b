package dev.petrel.delivery.remote;

import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsResult;
import dev.petrel.delivery.TlsPolicyType;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.delivery.TlsResults;
import dev.petrel.mail.Domain;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Hands the TLS result of each new connection to {@link TlsResults}, with the policy that applied to its
 * destination domain (RFC 8460 4.4): the MTA-STS policy, or none found. An MTA-STS policy that is published but
 * cannot be had is reported in place of the session's own success (RFC 8460 4.3.2.2); under a policy in testing
 * mode the certificate, taken as it came, is checked for the report.
 */
public final class TlsReporter {

    /** Reports nothing. */
    public static final TlsReporter NONE = new TlsReporter(TlsResults.NONE, null, null, Clock.systemUTC());

    private static final AppliedTlsPolicy DANE = new AppliedTlsPolicy(TlsPolicyType.TLSA, List.of(), List.of());

    private final TlsResults results;
    private final MtaStsPolicies sts;
    private final Clock clock;
    private final CertificateCheck certificates;

    /**
     * @param sts the MTA-STS policies in use; null when MTA-STS is off
     * @param trustStore what verifies certificates (null for the JDK's trust store), for sessions under a policy in
     *     testing mode, which take any certificate
     */
    public TlsReporter(TlsResults results, MtaStsPolicies sts, KeyStore trustStore, Clock clock) {
        this.results = results;
        this.sts = sts;
        this.clock = clock;
        this.certificates = results == TlsResults.NONE ? null : new CertificateCheck(trustStore);
    }

    SiteConnection.TlsObserver observerFor(Domain domain) {
        if (results == TlsResults.NONE) {
            return SiteConnection.TlsObserver.NONE;
        }
        AppliedTlsPolicy policy = sts == null ? AppliedTlsPolicy.NONE_FOUND : sts.applied(domain);
        Optional<TlsResultType> problem = sts == null ? Optional.empty() : sts.problem(domain);
        boolean testing = sts != null && sts.policyFor(domain).filter(p -> p.mode() == MtaStsPolicy.Mode.TESTING)
                .isPresent();
        return (host, sendingIp, receivingIp, result, chain, dane) -> {
            // RFC 8461 5: in testing mode the certificate was taken as it came; the report says if it would pass
            TlsResultType seen = testing && result == TlsResultType.SUCCESS ? certificates.check(chain, host) : result;
            try {
                // RFC 8461 2: where DANE applied to the host, its result is reported under policy-type tlsa
                results.record(dane ? new TlsResult(clock.instant(), domain, DANE, result, host, sendingIp, receivingIp)
                        : new TlsResult(clock.instant(), domain, policy, problem.orElse(seen), host, sendingIp,
                        receivingIp));
            } catch (RuntimeException e) {
                // a store that does not answer loses the report one session; the mail goes on all the same
            }
        };
    }
}
