package dev.petrel.intake;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mailauth.DkimResult;
import dev.petrel.mailauth.DmarcResult;
import dev.petrel.mailauth.InboundChecks;
import dev.petrel.mailauth.SpfResult;
import java.time.Instant;
import java.util.Locale;

/**
 * Counts the DMARC verdicts of mail from elsewhere for the aggregate reports of the domains that ask for them
 * (RFC 7489 7.2: a record with {@code rua}): what was checked, and the disposition intake applied.
 */
final class DmarcRecorder {

    /** What intake did with a message (RFC 7489's DispositionType). */
    enum Disposition {
        NONE, QUARANTINE, REJECT;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final DmarcAggregates aggregates;

    DmarcRecorder(DmarcAggregates aggregates) {
        this.aggregates = aggregates;
    }

    /** Counts the message when its From domain's record asks for aggregate reports. */
    void record(InboundChecks.Results results, Envelope envelope, Disposition applied, Instant at) {
        DmarcResult dmarc = results.dmarc();
        if (dmarc == null || dmarc.evaluation() == null || dmarc.evaluation().published().rua().isEmpty()
                || envelope.clientAddress() == null) {
            return;
        }
        DmarcResult.Evaluation e = dmarc.evaluation();
        String envelopeFrom = envelope.reversePath().mailbox().map(a -> a.domain().name()).orElse("");
        aggregates.record(new DmarcVerdict(at, e.published(), envelope.clientAddress(), applied.value(),
                e.dkimAligned() ? "pass" : "fail", e.spfAligned() ? "pass" : "fail", reason(dmarc, applied),
                dmarc.fromDomain(), envelopeFrom, results.dkim().stream().filter(d -> d.domain() != null)
                        .map(DmarcRecorder::dkim).toList(), spf(results.spf(), envelopeFrom)));
    }

    // RFC 7489 7.2 PolicyOverrideType: why a failing message got less than its domain's policy
    private static String reason(DmarcResult dmarc, Disposition applied) {
        if (dmarc.outcome() != DmarcResult.Outcome.FAIL) {
            // a message that passed and was still held (a filter's quarantine) was held by our own policy
            return applied == Disposition.NONE ? "" : "local_policy";
        }
        if (dmarc.evaluation().sampledOut()) {
            return "sampled_out";
        }
        return applied.value().equals(dmarc.policy().value()) ? "" : "local_policy";
    }

    private static DmarcVerdict.DkimAuth dkim(DkimResult d) {
        return new DmarcVerdict.DkimAuth(d.domain().toLowerCase(Locale.ROOT),
                d.selector() == null ? "" : d.selector(), d.outcome().value());
    }

    // RFC 7489 7.2 SPFAuthResultType: the identity checked (mfrom, or helo for the null sender)
    private static DmarcVerdict.SpfAuth spf(SpfResult spf, String envelopeFrom) {
        if (spf == null) {
            return new DmarcVerdict.SpfAuth(envelopeFrom, "mfrom", "none");
        }
        return new DmarcVerdict.SpfAuth(spf.domain(), "helo".equals(spf.identity()) ? "helo" : "mfrom",
                spf.outcome().value());
    }
}
