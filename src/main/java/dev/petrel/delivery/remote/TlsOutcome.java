package dev.petrel.delivery.remote;

/**
 * What became of one connection's TLS, for the code that must know: REQUIRETLS (RFC 8689 4.2 asks whether the peer
 * was authenticated, by DANE or by PKIX under MTA-STS) and TLS reporting (RFC 8460 4.3: the policy type and a
 * result per policy domain). One value per connection that reached the TLS decision.
 *
 * @param policy the policy that applied to the host: {@code tlsa} when DANE did (RFC 8460 4.3.1.1)
 * @param policyDomain the domain the policy belongs to: the destination domain (RFC 8460 4.3.1.1 policy-domain)
 * @param host the MX host name (RFC 8460 4.3.2.1 receiving-mx-hostname)
 * @param encrypted the connection went on over TLS
 * @param authenticated the peer's certificate was verified: by its TLSA records, or by PKIX and its name
 * @param failure null on success; else the RFC 8460 4.3.2.1 result type
 * @param detail the reason, in words, for a failure; empty on success
 */
public record TlsOutcome(PolicyType policy, String policyDomain, String host, boolean encrypted, boolean authenticated,
                         Failure failure, String detail) {

    /** RFC 8460 4.3.1.1 policy-type. */
    public enum PolicyType {
        TLSA("tlsa"), STS("sts"), NO_POLICY_FOUND("no-policy-found");

        private final String rfcName;

        PolicyType(String rfcName) {
            this.rfcName = rfcName;
        }

        public String rfcName() {
            return rfcName;
        }
    }

    /** RFC 8460 4.3.2.1 result types (those a sending MTA can see). */
    public enum Failure {
        STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
        CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
        CERTIFICATE_EXPIRED("certificate-expired"),
        CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
        VALIDATION_FAILURE("validation-failure"),
        TLSA_INVALID("tlsa-invalid"),
        DNSSEC_INVALID("dnssec-invalid"),
        DANE_REQUIRED("dane-required");

        private final String rfcName;

        Failure(String rfcName) {
            this.rfcName = rfcName;
        }

        public String rfcName() {
            return rfcName;
        }
    }

    public TlsOutcome {
        if (policy == null || policyDomain == null || host == null || detail == null) {
            throw new IllegalArgumentException("a TLS outcome names its policy, domain and host");
        }
        if (failure != null && authenticated) {
            throw new IllegalArgumentException("a failed TLS policy authenticated nothing");
        }
    }

    static TlsOutcome success(PolicyType policy, String domain, String host, boolean encrypted, boolean authenticated) {
        return new TlsOutcome(policy, domain, host, encrypted, authenticated, null, "");
    }

    static TlsOutcome failed(PolicyType policy, String domain, String host, Failure failure, String detail) {
        return new TlsOutcome(policy, domain, host, false, false, failure, detail);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
