package dev.petrel.mail.dmarc;

import java.time.Instant;
import java.util.List;

/**
 * What a receiver made of one message under DMARC: the identifiers, the authentication results, the policy found
 * and what was done with the message (RFC 7489 7.2's "row", "identifiers" and "auth_results").
 *
 * @param sourceIp the connecting client's address
 * @param disposition {@code none}, {@code quarantine} or {@code reject}: the policy applied
 * @param dkim {@code pass} when a DKIM pass was aligned with the From domain, else {@code fail}
 * @param spf {@code pass} when an SPF pass was aligned with the From domain, else {@code fail}
 * @param reason why the disposition differs from the policy (RFC 7489's PolicyOverrideType: {@code sampled_out},
 *               {@code local_policy}, ...), or the empty string
 * @param headerFrom the RFC5322.From domain
 * @param envelopeFrom the RFC5321.MailFrom domain, empty for the null sender
 */
public record DmarcVerdict(Instant at, PublishedPolicy policy, String sourceIp, String disposition, String dkim,
                           String spf, String reason, String headerFrom, String envelopeFrom,
                           List<DkimAuth> dkimResults, SpfAuth spfResult) {

    public DmarcVerdict {
        dkimResults = List.copyOf(dkimResults);
    }

    /** One DKIM signature's result: the d= domain, the s= selector and its result (RFC 7489's DKIMAuthResultType). */
    public record DkimAuth(String domain, String selector, String result) {}

    /**
     * The SPF result (RFC 7489's SPFAuthResultType).
     *
     * @param scope {@code mfrom} or {@code helo}
     */
    public record SpfAuth(String domain, String scope, String result) {}
}
