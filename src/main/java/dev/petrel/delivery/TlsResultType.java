package dev.petrel.delivery;

/**
 * How the TLS of one session with an MX host went: a success, or one of the result types of RFC 8460 4.3.
 */
public enum TlsResultType {
    /** TLS was negotiated (and, under a policy that requires it, the certificate verified). */
    SUCCESS("success"),
    // RFC 8460 4.3.1: negotiation failures
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    // RFC 8460 4.3.2.2: MTA-STS policy failures
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid"),
    // RFC 8460 4.3.2.1: DANE's failures
    TLSA_INVALID("tlsa-invalid"),
    DNSSEC_INVALID("dnssec-invalid"),
    DANE_REQUIRED("dane-required");

    private final String label;

    TlsResultType(String label) {
        this.label = label;
    }

    /** The result-type of a report's failure-details, and the name in the store. */
    public String label() {
        return label;
    }

    public boolean failed() {
        return this != SUCCESS;
    }

    /** The type of a label; {@link IllegalArgumentException} for one no type has. */
    public static TlsResultType of(String label) {
        for (TlsResultType t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no TLS result type " + label);
    }
}
