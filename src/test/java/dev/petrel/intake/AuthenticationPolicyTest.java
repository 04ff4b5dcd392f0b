package dev.petrel.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.petrel.mailauth.DkimResult;
import dev.petrel.mailauth.DmarcResult;
import dev.petrel.mailauth.InboundChecks;
import dev.petrel.mailauth.SpfResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationPolicyTest {

    private static InboundChecks.Results results(SpfResult.Outcome spf, DmarcResult.Outcome dmarc, DmarcResult.Policy p) {
        return new InboundChecks.Results(List.of(), new SpfResult(spf, "mailfrom", "example.com", null),
                new DmarcResult(dmarc, "example.com", p, null));
    }

    @Test
    void aDmarcFailureUnderPRejectIs550OnlyWhenHonoured() {
        InboundChecks.Results fail = results(SpfResult.Outcome.FAIL, DmarcResult.Outcome.FAIL, DmarcResult.Policy.REJECT);
        assertEquals("550 5.7.1 Message rejected by the DMARC policy of example.com",
                new AuthenticationPolicy(true, false).refusal(fail).summary());
        assertNull(new AuthenticationPolicy(false, false).refusal(fail));
        // quarantine and none are for the mailbox, not for the SMTP reply
        assertNull(new AuthenticationPolicy(true, false).refusal(
                results(SpfResult.Outcome.FAIL, DmarcResult.Outcome.FAIL, DmarcResult.Policy.QUARANTINE)));
    }

    @Test
    void aTemporaryErrorDefersOnlyWhenAskedTo() {
        InboundChecks.Results temp = results(SpfResult.Outcome.TEMPERROR, DmarcResult.Outcome.NONE, null);
        assertNull(new AuthenticationPolicy(true, false).refusal(temp));
        assertEquals("451 4.4.3", new AuthenticationPolicy(true, true).refusal(temp).summary().substring(0, 9));
        InboundChecks.Results dkimTemp = new InboundChecks.Results(List.of(new DkimResult(DkimResult.Outcome.TEMPERROR,
                "example.com", "s", null, "DNS", -1)), null, null);
        assertEquals(451, new AuthenticationPolicy(false, true).refusal(dkimTemp).code());
    }
}
