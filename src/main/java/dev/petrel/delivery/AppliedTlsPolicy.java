package dev.petrel.delivery;

import java.util.List;

/**
 * The TLS policy a session ran under, as RFC 8460 4.4 reports it.
 *
 * @param strings the policy's text, one string per line ("policy-string"); none without a policy
 * @param mxHosts the MX host patterns the policy names ("mx-host"); none without a policy
 */
public record AppliedTlsPolicy(TlsPolicyType type, List<String> strings, List<String> mxHosts) {

    /** Neither MTA-STS nor DANE. */
    public static final AppliedTlsPolicy NONE_FOUND = new AppliedTlsPolicy(TlsPolicyType.NO_POLICY_FOUND, List.of(),
            List.of());

    public AppliedTlsPolicy {
        strings = List.copyOf(strings);
        mxHosts = List.copyOf(mxHosts);
    }
}
