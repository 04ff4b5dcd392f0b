package dev.petrel.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mail.dmarc.PublishedPolicy;
import dev.petrel.mailauth.DkimResult;
import dev.petrel.mailauth.DmarcResult;
import dev.petrel.mailauth.InboundChecks;
import dev.petrel.mailauth.SpfResult;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What intake counts for a message: the verdict's fields, its disposition, and why it got less than its policy. */
class DmarcRecorderTest {

    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

    /** Keeps the verdicts it is told (a single class under test: the store's own are the contract suites). */
    private static final class Kept {
        final List<DmarcVerdict> verdicts = new ArrayList<>();
        final DmarcAggregates aggregates = (DmarcAggregates) Proxy.newProxyInstance(
                DmarcAggregates.class.getClassLoader(), new Class<?>[] {DmarcAggregates.class}, (proxy, method, args) -> {
                    assertEquals("record", method.getName(), "intake only records");
                    verdicts.add((DmarcVerdict) args[0]);
                    return null;
                });
    }

    private static PublishedPolicy policy(String p, List<String> rua) {
        return new PublishedPolicy("example.com", "r", "r", p, p, 100, "0", rua);
    }

    private static InboundChecks.Results results(DmarcResult.Outcome outcome, DmarcResult.Policy applied,
                                                 boolean sampledOut, List<String> rua) {
        return new InboundChecks.Results(List.of(new DkimResult(DkimResult.Outcome.PASS, "ESP.test", "s1", "abc",
                null, -1), new DkimResult(DkimResult.Outcome.PERMERROR, null, null, null, "unreadable", -1)),
                new SpfResult(SpfResult.Outcome.SOFTFAIL, "mailfrom", "bounce.example.com", null),
                new DmarcResult(outcome, "example.com", applied, null, new DmarcResult.Evaluation(
                        policy("reject", rua), false, outcome == DmarcResult.Outcome.PASS, sampledOut)));
    }

    private static Envelope envelope(ReversePath sender) {
        return new Envelope(sender, List.of(Recipient.of(Address.of("rcpt@local.test"))), Envelope.BodyType.SEVEN_BIT,
                false, Envelope.Ret.NONE, null, null, "192.0.2.7", "client.test");
    }

    @Test
    void theVerdictCarriesTheIdentifiersAndEachResult() {
        Kept kept = new Kept();
        new DmarcRecorder(kept.aggregates).record(results(DmarcResult.Outcome.PASS, DmarcResult.Policy.REJECT, false,
                List.of("mailto:d@example.com")), envelope(ReversePath.of(Address.of("b@bounce.example.com"))),
                DmarcRecorder.Disposition.NONE, AT);
        assertEquals(List.of(new DmarcVerdict(AT, policy("reject", List.of("mailto:d@example.com")), "192.0.2.7",
                "none", "fail", "pass", "", "example.com", "bounce.example.com",
                List.of(new DmarcVerdict.DkimAuth("esp.test", "s1", "pass")),
                new DmarcVerdict.SpfAuth("bounce.example.com", "mfrom", "softfail"))), kept.verdicts);
    }

    @ParameterizedTest(name = "{0} under {1}, sampled out {2}, {3}: reason \"{4}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # the policy applied: no reason
            FAIL | REJECT     | false | REJECT     | ''
            FAIL | QUARANTINE | false | QUARANTINE | ''
            # less than the policy: dmarc_reject or dmarc_quarantine off
            FAIL | REJECT     | false | NONE       | local_policy
            FAIL | QUARANTINE | false | NONE       | local_policy
            # pct left the message out: it got the next weaker policy, or less
            FAIL | QUARANTINE | true  | QUARANTINE | sampled_out
            FAIL | NONE       | true  | NONE       | sampled_out
            # a pass held by a filter
            PASS | REJECT     | false | QUARANTINE | local_policy
            PASS | REJECT     | false | NONE       | ''""")
    void theReasonSaysWhyTheMessageGotLessThanItsPolicy(DmarcResult.Outcome outcome, DmarcResult.Policy applied,
                                                        boolean sampledOut, DmarcRecorder.Disposition disposition,
                                                        String reason) {
        Kept kept = new Kept();
        new DmarcRecorder(kept.aggregates).record(results(outcome, applied, sampledOut, List.of("mailto:d@example.com")),
                envelope(ReversePath.NULL), disposition, AT);
        assertEquals(reason, kept.verdicts.getFirst().reason());
        assertEquals("", kept.verdicts.getFirst().envelopeFrom(), "the null sender");
    }

    @Test
    void aDomainWithoutRuaOrWithoutARecordIsNotCounted() {
        Kept kept = new Kept();
        DmarcRecorder recorder = new DmarcRecorder(kept.aggregates);
        recorder.record(results(DmarcResult.Outcome.FAIL, DmarcResult.Policy.REJECT, false, List.of()),
                envelope(ReversePath.NULL), DmarcRecorder.Disposition.REJECT, AT);
        recorder.record(new InboundChecks.Results(List.of(), null, new DmarcResult(DmarcResult.Outcome.NONE,
                "example.com", null, null)), envelope(ReversePath.NULL), DmarcRecorder.Disposition.NONE, AT);
        assertTrue(kept.verdicts.isEmpty(), kept.verdicts.toString());
        assertFalse(new AuthenticationPolicy(true, false, true).quarantine(results(DmarcResult.Outcome.FAIL,
                DmarcResult.Policy.REJECT, false, List.of())), "p=reject is not for quarantine");
        assertTrue(new AuthenticationPolicy(true, false, true).quarantine(results(DmarcResult.Outcome.FAIL,
                DmarcResult.Policy.QUARANTINE, false, List.of())));
        assertFalse(new AuthenticationPolicy(true, false).quarantine(results(DmarcResult.Outcome.FAIL,
                DmarcResult.Policy.QUARANTINE, false, List.of())), "off by default");
    }
}
