package dev.petrel.delivery.remote;

import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsResult;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.delivery.TlsResults;
import dev.petrel.mail.Domain;
import java.time.Clock;
import java.util.Optional;

/**
 * Hands the TLS result of each new connection to {@link TlsResults}, with the policy that applied to its
 * destination domain (RFC 8460 4.4): the MTA-STS policy, or none found. An MTA-STS policy that is published but
 * cannot be had is reported in place of the session's own success (RFC 8460 4.3.2.2).
 */
public final class TlsReporter {

    /** Reports nothing. */
    public static final TlsReporter NONE = new TlsReporter(TlsResults.NONE, null, Clock.systemUTC());

    private final TlsResults results;
    private final MtaStsPolicies sts;
    private final Clock clock;

    /** @param sts the MTA-STS policies in use; null when MTA-STS is off */
    public TlsReporter(TlsResults results, MtaStsPolicies sts, Clock clock) {
        this.results = results;
        this.sts = sts;
        this.clock = clock;
    }

    SiteConnection.TlsObserver observerFor(Domain domain) {
        if (results == TlsResults.NONE) {
            return SiteConnection.TlsObserver.NONE;
        }
        AppliedTlsPolicy policy = sts == null ? AppliedTlsPolicy.NONE_FOUND : sts.applied(domain);
        Optional<TlsResultType> problem = sts == null ? Optional.empty() : sts.problem(domain);
        return (host, sendingIp, receivingIp, result) -> results.record(new TlsResult(clock.instant(), domain, policy,
                problem.orElse(result), host, sendingIp, receivingIp));
    }
}
