package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Dnsmasq;
import java.time.Clock;
import dev.petrel.mail.dmarc.PublishedPolicy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DMARC policy discovery over a real dnsmasq, alignment, and the organizational domain from the Public Suffix List. */
class DmarcCheckerTest {

    private static final PublicSuffixList PSL = PublicSuffixList.bundled();
    private static Dnsmasq dns;
    private static DmarcChecker checker;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new Dnsmasq("ready.dmarc.test", List.of("--local=/dmarc.test/", "--local=/co.uk/",
                "--host-record=ready.dmarc.test,127.0.0.1",
                "--txt-record=_dmarc.strict.dmarc.test,v=DMARC1; p=reject; adkim=s; aspf=s",
                "--txt-record=_dmarc.relaxed.dmarc.test,v=DMARC1; p=quarantine; sp=reject",
                "--txt-record=_dmarc.half.dmarc.test,v=DMARC1; p=reject; pct=0",
                "--txt-record=_dmarc.bad.dmarc.test,v=DMARC1; p=maybe",
                "--txt-record=_dmarc.shop.co.uk,v=DMARC1; p=reject; sp=quarantine"));
        checker = new DmarcChecker(new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address())),
                Clock.systemUTC()), PSL, new Random(7));
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    private static DkimResult dkim(String domain, DkimResult.Outcome outcome) {
        return new DkimResult(outcome, domain, "s", "abcdefgh", null, -1);
    }

    private static SpfResult spf(String domain, SpfResult.Outcome outcome) {
        return new SpfResult(outcome, "mailfrom", domain, null);
    }

    @ParameterizedTest
    @CsvSource({
            // multi-label public suffixes, wildcards and exceptions, private suffixes
            "mail.shop.co.uk, shop.co.uk",
            "shop.co.uk, shop.co.uk",
            "co.uk, co.uk",
            "a.b.example.com, example.com",
            "www.foo.ck, www.foo.ck",
            "a.www.ck, www.ck",
            "me.alice.github.io, alice.github.io",
            "unknown-tld-name, unknown-tld-name",
            "x.y.unlisted, y.unlisted"})
    void theOrganizationalDomainIsTheSuffixAndOneLabel(String domain, String organizational) {
        assertEquals(organizational, PSL.organizationalDomain(domain));
    }

    @Test
    void strictAlignmentNeedsTheSameName() {
        DmarcResult exact = checker.check("strict.dmarc.test", List.of(dkim("strict.dmarc.test", DkimResult.Outcome.PASS)), null);
        assertEquals("dmarc=pass (p=reject) header.from=strict.dmarc.test", exact.resinfo());
        DmarcResult sub = checker.check("strict.dmarc.test", List.of(dkim("mail.strict.dmarc.test", DkimResult.Outcome.PASS)),
                spf("bounce.strict.dmarc.test", SpfResult.Outcome.PASS));
        assertEquals(DmarcResult.Outcome.FAIL, sub.outcome());
        assertEquals(true, sub.reject());
    }

    @Test
    void relaxedAlignmentTakesTheOrganizationalDomainAndSubdomainsGetSp() {
        // "test" is not listed, so the organizational domain of everything here is dmarc.test (the "*" rule)
        DmarcResult viaSpf = checker.check("relaxed.dmarc.test", List.of(),
                spf("bounces.relaxed.dmarc.test", SpfResult.Outcome.PASS));
        assertEquals(DmarcResult.Outcome.PASS, viaSpf.outcome());
        assertEquals(DmarcResult.Policy.QUARANTINE, checker.check("relaxed.dmarc.test", List.of(), null).policy());
        // a subdomain without its own record gets its organizational domain's sp
        DmarcResult sub = checker.check("news.shop.co.uk", List.of(dkim("other.test", DkimResult.Outcome.PASS)),
                spf("news.shop.co.uk", SpfResult.Outcome.FAIL));
        assertEquals("dmarc=fail (p=quarantine) header.from=news.shop.co.uk", sub.resinfo());
        assertEquals(DmarcResult.Policy.REJECT, checker.check("shop.co.uk", List.of(), null).policy());
    }

    @Test
    void aFailingDkimOrAnUnalignedPassDoesNotCount() {
        DmarcResult r = checker.check("relaxed.dmarc.test", List.of(dkim("relaxed.dmarc.test", DkimResult.Outcome.FAIL),
                dkim("elsewhere.test", DkimResult.Outcome.PASS)), spf("elsewhere.test", SpfResult.Outcome.PASS));
        assertEquals(DmarcResult.Outcome.FAIL, r.outcome());
    }

    @Test
    void underMultiLabelSuffixesTheOrganizationalRecordIsFound() {
        DmarcResult r = checker.check("mail.shop.co.uk", List.of(), spf("shop.co.uk", SpfResult.Outcome.PASS));
        assertEquals(DmarcResult.Outcome.PASS, r.outcome());
        DmarcResult other = checker.check("other.co.uk", List.of(dkim("shop.co.uk", DkimResult.Outcome.PASS)), null);
        assertEquals(DmarcResult.Outcome.NONE, other.outcome(), "co.uk is a suffix: other.co.uk and shop.co.uk differ");
    }

    @Test
    void pctZeroSamplesNothingSoRejectBecomesQuarantine() {
        DmarcResult r = checker.check("half.dmarc.test", List.of(), null);
        assertEquals(DmarcResult.Outcome.FAIL, r.outcome());
        assertEquals(DmarcResult.Policy.QUARANTINE, r.policy());
    }

    @Test
    void noRecordOrABadOneIsNone() {
        assertEquals(DmarcResult.Outcome.NONE, checker.check("nothing.dmarc.test", List.of(), null).outcome());
        assertEquals(DmarcResult.Outcome.NONE, checker.check("bad.dmarc.test", List.of(), null).outcome());
        assertEquals(DmarcResult.Outcome.NONE, checker.check(null, List.of(), null).outcome());
    }

    @Test
    void theResultKeepsThePublishedRecordAndEachMethodsAlignmentForReports() {
        DmarcResult r = checker.check("strict.dmarc.test", List.of(dkim("strict.dmarc.test", DkimResult.Outcome.PASS)),
                spf("bounce.strict.dmarc.test", SpfResult.Outcome.PASS));
        assertEquals(new DmarcResult.Evaluation(new PublishedPolicy("strict.dmarc.test", "s", "s", "reject", "reject",
                100, "0", List.of()), true, false, false), r.evaluation());
        // found at the organizational domain: the record's own domain, sp as published
        DmarcResult sub = checker.check("news.shop.co.uk", List.of(), spf("news.shop.co.uk", SpfResult.Outcome.PASS));
        assertEquals(new PublishedPolicy("shop.co.uk", "r", "r", "reject", "quarantine", 100, "0", List.of()),
                sub.evaluation().published());
        assertEquals(true, sub.evaluation().spfAligned());
    }

    @Test
    void aFailureLeftOutByPctIsMarkedSampledOut() {
        DmarcResult r = checker.check("half.dmarc.test", List.of(), null);
        assertEquals(new DmarcResult.Evaluation(new PublishedPolicy("half.dmarc.test", "r", "r", "reject", "reject", 0,
                "0", List.of()), false, false, true), r.evaluation());
        assertEquals(null, checker.check("nothing.dmarc.test", List.of(), null).evaluation(), "no record, nothing");
    }
}
