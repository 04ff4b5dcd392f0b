package dev.petrel.delivery;

/**
 * The kind of TLS policy that applied to a session, as RFC 8460 4.4 names it in a report's "policy-type".
 */
public enum TlsPolicyType {
    /** DANE (RFC 7672): the MX host's TLSA records, DNSSEC-secure, applied (or their look-up failed). */
    TLSA("tlsa"),
    /** An MTA-STS policy (RFC 8461) applied, or was published and could not be had. */
    STS("sts"),
    /** Neither an MTA-STS nor a DANE policy was found. */
    NO_POLICY_FOUND("no-policy-found");

    private final String label;

    TlsPolicyType(String label) {
        this.label = label;
    }

    /** The name in a report and in the store. */
    public String label() {
        return label;
    }

    /** The type of a label; {@link IllegalArgumentException} for one no type has. */
    public static TlsPolicyType of(String label) {
        for (TlsPolicyType t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no TLS policy type " + label);
    }
}
