package dev.petrel.mailauth;

import dev.petrel.mail.dmarc.PublishedPolicy;
import java.util.Locale;

/**
 * The DMARC result for a message (RFC 7489 and RFC 8601's dmarc method).
 *
 * @param fromDomain the RFC5322.From domain, or null when the message has no single one
 * @param policy the policy to apply (RFC 7489 6.6.2: p or sp, after pct), or null when no record was found
 * @param reason a word on how it came about, or null
 * @param evaluation the record found and how each method fared against it, or null when no record was found
 */
public record DmarcResult(Outcome outcome, String fromDomain, Policy policy, String reason, Evaluation evaluation) {

    public DmarcResult(Outcome outcome, String fromDomain, Policy policy, String reason) {
        this(outcome, fromDomain, policy, reason, null);
    }

    /**
     * What an aggregate report says of the message (RFC 7489 7.2): the record, whether DKIM and SPF each passed
     * aligned, and whether a pct below 100 left the message out of the policy.
     */
    public record Evaluation(PublishedPolicy published, boolean dkimAligned, boolean spfAligned, boolean sampledOut) {}

    public enum Outcome {
        NONE, PASS, FAIL, TEMPERROR, PERMERROR;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Policy {
        NONE, QUARANTINE, REJECT;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** True when the domain asks that this message be rejected. */
    public boolean reject() {
        return outcome == Outcome.FAIL && policy == Policy.REJECT;
    }

    public String resinfo() {
        StringBuilder out = new StringBuilder("dmarc=").append(outcome.value());
        if (reason != null) {
            out.append(AuthenticationResults.comment(reason));
        } else if (policy != null) {
            out.append(" (p=").append(policy.value()).append(')');
        }
        if (fromDomain != null) {
            out.append(" header.from=").append(fromDomain);
        }
        return out.toString();
    }
}
