package dev.petrel.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The validity rule of CASL section 10, as a function of the records and the moment asked about. */
class ConsentRuleTest {

    private static final Instant T = Instant.parse("2026-01-15T12:00:00Z");
    private long ids;

    private Consent r(Consent.Kind kind, String at) {
        Instant when = Instant.parse(at);
        return new Consent(++ids, new TenantId("acme"), "ann@x.test", kind, when, Consent.Evidence.NONE, "cli", when);
    }

    private static ConsentStatus.Reason reason(ConsentStatus s) {
        return s instanceof ConsentStatus.Refused r ? r.reason() : null;
    }

    // each kind alone, given at T, asked about at a later moment
    @ParameterizedTest
    @CsvSource({
            // express: until withdrawn, however long
            "EXPRESS, 2036-01-15T12:00:00Z, ",
            // a purchase or contract: two years, to the second
            "IMPLIED_BUSINESS, 2028-01-15T11:59:59Z, ",
            "IMPLIED_BUSINESS, 2028-01-15T12:00:00Z, CONSENT_EXPIRED",
            // donation, volunteering, membership: two years too
            "IMPLIED_NON_BUSINESS, 2028-01-15T11:59:59Z, ",
            "IMPLIED_NON_BUSINESS, 2028-01-15T12:00:00Z, CONSENT_EXPIRED",
            // an inquiry: six months
            "IMPLIED_INQUIRY, 2026-07-15T11:59:59Z, ",
            "IMPLIED_INQUIRY, 2026-07-15T12:00:00Z, CONSENT_EXPIRED",
            // a published address: no expiry (for role-relevant mail; see below)
            "IMPLIED_PUBLISHED, 2046-01-15T12:00:00Z, ",
    })
    void eachKindHoldsForItsPeriod(Consent.Kind kind, String now, ConsentStatus.Reason expected) {
        ConsentStatus s = ConsentRule.status(List.of(r(kind, T.toString())), Instant.parse(now), true);
        assertEquals(expected, reason(s), s.toString());
    }

    @Test
    void nothingOnRecordIsNoConsent() {
        assertEquals(ConsentStatus.Reason.NO_CONSENT, reason(ConsentRule.status(List.of(), T, false)));
    }

    @Test
    void aPublishedAddressCoversRoleRelevantMailOnly() {
        List<Consent> records = List.of(r(Consent.Kind.IMPLIED_PUBLISHED, "2025-01-01T00:00:00Z"));
        assertInstanceOf(ConsentStatus.Valid.class, ConsentRule.status(records, T, true));
        assertEquals(ConsentStatus.Reason.NO_CONSENT, reason(ConsentRule.status(records, T, false)));
    }

    @Test
    void aNewerPurchaseRenewsAndIsTheRecordReliedOn() {
        Consent old = r(Consent.Kind.IMPLIED_BUSINESS, "2023-01-01T00:00:00Z");
        Consent renewed = r(Consent.Kind.IMPLIED_BUSINESS, "2025-06-01T00:00:00Z");
        ConsentStatus s = ConsentRule.status(List.of(renewed, old), T, false);
        ConsentStatus.Valid v = assertInstanceOf(ConsentStatus.Valid.class, s);
        assertEquals(renewed, v.record());
        assertEquals(Instant.parse("2027-06-01T00:00:00Z"), v.until());
        assertEquals(ConsentStatus.Reason.CONSENT_EXPIRED,
                reason(ConsentRule.status(List.of(old), T, false)), "without the renewal it ran out in 2025");
    }

    @Test
    void expressIsPreferredToAnImpliedConsentThatRunsOut() {
        Consent inquiry = r(Consent.Kind.IMPLIED_INQUIRY, "2026-01-10T00:00:00Z");
        Consent express = r(Consent.Kind.EXPRESS, "2025-01-10T00:00:00Z");
        ConsentStatus.Valid v = assertInstanceOf(ConsentStatus.Valid.class,
                ConsentRule.status(List.of(inquiry, express), T, false));
        assertEquals(express, v.record());
        assertNull(v.until());
    }

    @Test
    void aWithdrawalEndsEveryConsentBeforeItAndANewOneCountsAgain() {
        List<Consent> records = new ArrayList<>(List.of(r(Consent.Kind.EXPRESS, "2025-01-01T00:00:00Z"),
                r(Consent.Kind.IMPLIED_BUSINESS, "2025-12-01T00:00:00Z"),
                r(Consent.Kind.WITHDRAWAL, "2026-01-01T00:00:00Z")));
        ConsentStatus s = ConsentRule.status(records, T, true);
        assertEquals(ConsentStatus.Reason.CONSENT_WITHDRAWN, reason(s));
        // before the withdrawal, consent held
        assertInstanceOf(ConsentStatus.Valid.class,
                ConsentRule.status(records, Instant.parse("2025-12-31T00:00:00Z"), true));
        Consent again = r(Consent.Kind.EXPRESS, "2026-01-10T00:00:00Z");
        records.add(again);
        assertEquals(again, assertInstanceOf(ConsentStatus.Valid.class, ConsentRule.status(records, T, true)).record());
    }

    @Test
    void aConsentDatedAfterTheMomentDoesNotCountYet() {
        List<Consent> records = List.of(r(Consent.Kind.EXPRESS, "2026-02-01T00:00:00Z"));
        assertEquals(ConsentStatus.Reason.NO_CONSENT, reason(ConsentRule.status(records, T, false)));
    }

    @Test
    void aWithdrawalAloneIsWithdrawnAndExpiredNamesTheLatestExpiry() {
        assertEquals(ConsentStatus.Reason.CONSENT_WITHDRAWN,
                reason(ConsentRule.status(List.of(r(Consent.Kind.WITHDRAWAL, "2025-01-01T00:00:00Z")), T, false)));
        Consent inquiry = r(Consent.Kind.IMPLIED_INQUIRY, "2025-05-01T00:00:00Z");
        Consent purchase = r(Consent.Kind.IMPLIED_BUSINESS, "2023-01-01T00:00:00Z");
        ConsentStatus.Expired e = assertInstanceOf(ConsentStatus.Expired.class,
                ConsentRule.status(List.of(inquiry, purchase), T, false));
        assertEquals(inquiry, e.last());
        assertEquals(Instant.parse("2025-11-01T00:00:00Z"), e.expired());
    }
}
