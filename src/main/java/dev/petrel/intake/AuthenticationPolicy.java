package dev.petrel.intake;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import dev.petrel.mailauth.DmarcResult;
import dev.petrel.mailauth.InboundChecks;

/**
 * What the authentication results of mail from elsewhere may make intake answer at the end of DATA instead of 250.
 *
 * @param rejectDmarc honour a domain's DMARC p=reject for a message that fails (550 5.7.1); on by default, as the
 *                    large receivers do
 * @param deferOnTemperror answer 451 4.4.3 when a check could not be made now (a DNS failure); off by default
 * @param quarantineDmarc hold a message failing DMARC when its domain says p=quarantine; off by default (it is
 *                        delivered with its Authentication-Results)
 */
public record AuthenticationPolicy(boolean rejectDmarc, boolean deferOnTemperror, boolean quarantineDmarc) {

    public static final AuthenticationPolicy ACCEPT_ALL = new AuthenticationPolicy(false, false);

    public AuthenticationPolicy(boolean rejectDmarc, boolean deferOnTemperror) {
        this(rejectDmarc, deferOnTemperror, false);
    }

    /** Whether a message these results were had of, once accepted, is to be held (quarantined). */
    boolean quarantine(InboundChecks.Results results) {
        return quarantineDmarc && results != null && results.dmarc() != null
                && results.dmarc().outcome() == DmarcResult.Outcome.FAIL
                && results.dmarc().policy() == DmarcResult.Policy.QUARANTINE;
    }

    // RFC 3463 3.5: X.4.3 Directory server failure (a DNS failure, as Postfix reports it)
    static final EnhancedStatus DIRECTORY_FAILURE = new EnhancedStatus(4, 4, 3);

    /** The refusal these results call for, or null to accept. */
    Reply refusal(InboundChecks.Results results) {
        if (rejectDmarc && results.dmarc() != null && results.dmarc().reject()) {
            // RFC 7489 6.7: a rejection at the SMTP level, 5.7.1
            return Reply.of(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, "Message rejected by the DMARC policy of "
                    + results.dmarc().fromDomain());
        }
        if (deferOnTemperror && results.temporaryError()) {
            return Reply.of(451, DIRECTORY_FAILURE, "Temporary failure checking the sender's authentication, try later");
        }
        return null;
    }
}
