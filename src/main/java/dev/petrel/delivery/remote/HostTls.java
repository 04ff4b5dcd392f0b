package dev.petrel.delivery.remote;

import dev.petrel.delivery.remote.TlsOutcome.Failure;
import dev.petrel.delivery.remote.TlsOutcome.PolicyType;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.net.ClientChannel;
import dev.petrel.smtp.client.ClientPhase;
import dev.petrel.smtp.client.Step;
import dev.petrel.smtp.client.TlsPolicy;
import java.time.Instant;
import java.util.List;

/**
 * The TLS of one connection to one host: the destination's policy (opportunistic, or required and verified by
 * PKIX), unless the host's TLSA records ask for DANE, which then wins (RFC 8461 2, RFC 7672 2.2). Judges how the
 * conversation went as a {@link TlsOutcome}, and says in the replies why DANE failed.
 */
final class HostTls {

    // RFC 3463 3.8: X.7.5 Cryptographic failure; X.7.4 Security features not supported
    static final EnhancedStatus DANE_FAILED = new EnhancedStatus(4, 7, 5);
    static final EnhancedStatus NOT_SUPPORTED = new EnhancedStatus(4, 7, 4);

    private final Endpoint endpoint;
    private final String domain;
    private final TlsPolicy base;
    private final HostDane dane;
    private final DaneTrustManager trust;

    HostTls(Endpoint endpoint, String domain, TlsPolicy base, HostDane dane, Instant now) {
        this.endpoint = endpoint;
        this.domain = domain;
        this.base = base;
        this.dane = dane;
        this.trust = dane instanceof HostDane.Authenticate a
                ? new DaneTrustManager(new TlsaMatcher(a.usable(), List.of(endpoint.serverName(), domain), now))
                : null;
    }

    /** The same host in cleartext: the retry after an opportunistic handshake failed (RFC 7435 4). */
    HostTls withoutTls() {
        return new HostTls(endpoint, domain, TlsPolicy.NONE, new HostDane.None(), Instant.EPOCH);
    }

    /** RFC 7672 2.2: with secure TLSA records, TLS is mandatory whatever the destination's own policy says. */
    TlsPolicy policy() {
        return dane instanceof HostDane.None ? base : TlsPolicy.REQUIRE;
    }

    ClientChannel.TlsUpgrade upgrade(TlsContexts contexts) {
        // RFC 7672 2.2: with only unusable TLSA records TLS is required, but authenticated only as the
        // destination's own policy asks (PKIX under MTA-STS or require_tls)
        return dane instanceof HostDane.Authenticate ? TlsContexts.dane(endpoint, trust)
                : contexts.upgrade(endpoint, base == TlsPolicy.REQUIRE);
    }

    /**
     * True when a handshake that succeeds under this policy has authenticated the peer: by its TLSA records
     * (DANE), or by PKIX and its name (required TLS, MTA-STS). What REQUIRETLS (RFC 8689 4.2) asks before MAIL.
     */
    boolean authenticates() {
        return dane instanceof HostDane.Authenticate || base == TlsPolicy.REQUIRE;
    }

    PolicyType type() {
        if (!(dane instanceof HostDane.None)) {
            return PolicyType.TLSA;
        }
        return base == TlsPolicy.REQUIRE ? PolicyType.STS : PolicyType.NO_POLICY_FOUND;
    }

    /**
     * How the TLS policy fared in a conversation that ended with {@code end}; null when the conversation ended
     * before TLS was decided (no answer, a 421 greeting) or is retried in cleartext.
     */
    TlsOutcome judge(Step end, boolean tlsActive) {
        return switch (end) {
            case Step.Ready ready -> TlsOutcome.success(type(), domain, endpoint.serverName(), tlsActive,
                    tlsActive && authenticates());
            // the handshake went through; what failed later (a 421, a lost connection) is no matter of TLS
            case Step.Close close when tlsActive && close.phase() != ClientPhase.TLS_HANDSHAKE ->
                    TlsOutcome.success(type(), domain, endpoint.serverName(), true, authenticates());
            case Step.Close close when policy() == TlsPolicy.REQUIRE -> failure(close);
            default -> null;
        };
    }

    private TlsOutcome failure(Step.Close close) {
        if (close.phase() == ClientPhase.TLS_HANDSHAKE) {
            return trust != null && trust.mismatch().isPresent()
                    ? TlsOutcome.failed(type(), domain, endpoint.serverName(), trust.mismatch().get().failure(),
                            trust.mismatch().get().reason())
                    : TlsOutcome.failed(type(), domain, endpoint.serverName(), Failure.VALIDATION_FAILURE,
                            "the TLS handshake failed");
        }
        Reply said = close.outcomes().isEmpty() ? null : close.outcomes().getFirst().reply();
        if (said != null && NOT_SUPPORTED.equals(said.status())) {
            return TlsOutcome.failed(type(), domain, endpoint.serverName(), Failure.STARTTLS_NOT_SUPPORTED,
                    String.join(" ", said.lines()));
        }
        return null;
    }

    /** The outcomes of a failed DANE connection, each deferred with a reply that says DANE failed and why. */
    List<RecipientOutcome> explain(List<RecipientOutcome> outcomes, TlsOutcome judged) {
        if (judged == null || judged.succeeded() || judged.policy() != PolicyType.TLSA) {
            return outcomes;
        }
        EnhancedStatus status = judged.failure() == Failure.STARTTLS_NOT_SUPPORTED ? NOT_SUPPORTED : DANE_FAILED;
        Reply reply = Reply.of(454, status, "DANE failed for " + endpoint.relay() + " (" + judged.failure().rfcName()
                + "): " + judged.detail());
        return outcomes.stream().map(o -> (RecipientOutcome) new RecipientOutcome.Deferred(o.recipient(), reply))
                .toList();
    }
}
