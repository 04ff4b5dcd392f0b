package dev.petrel.mail.dmarc;

import java.util.List;

/**
 * A DMARC record as the receiver found it (RFC 7489 6.3), for a report's {@code policy_published}.
 *
 * @param domain where the record was found: the From domain or its organizational domain
 * @param adkim {@code r} or {@code s}
 * @param aspf {@code r} or {@code s}
 * @param p {@code none}, {@code quarantine} or {@code reject}
 * @param sp the subdomains' policy ({@code p} when the record has none)
 * @param pct the percentage of failing messages the policy applies to
 * @param fo the failure reporting options ({@code 0} when the record has none)
 * @param rua the aggregate report URIs, as listed (RFC 7489 6.3 "rua"); empty asks for no reports
 */
public record PublishedPolicy(String domain, String adkim, String aspf, String p, String sp, int pct, String fo,
                              List<String> rua) {

    public PublishedPolicy {
        rua = List.copyOf(rua);
    }
}
