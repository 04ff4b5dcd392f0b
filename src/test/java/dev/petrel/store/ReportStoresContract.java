package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsPolicyType;
import dev.petrel.delivery.TlsResult;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.delivery.TlsResults;
import dev.petrel.mail.Domain;
import dev.petrel.report.SentReports;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stores of the daily reports: TLS results counted per day and outcome, and reports claimed once. */
abstract class ReportStoresContract {

    private static final Domain EXAMPLE = Domain.parse("example.test");
    private static final AppliedTlsPolicy STS = new AppliedTlsPolicy(TlsPolicyType.STS,
            List.of("version: STSv1", "mode: enforce", "mx: mx.example.test", "max_age: 86400"),
            List.of("mx.example.test"));
    private static final LocalDate DAY = LocalDate.parse("2026-12-06");
    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");

    private Stores stores;

    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        stores = open();
    }

    @AfterEach
    final void closeStore() {
        stores.close();
    }

    private void record(Instant at, AppliedTlsPolicy policy, TlsResultType result, String mx) {
        stores.tlsResults().record(new TlsResult(at, EXAMPLE, policy, result, mx, "192.0.2.1", "192.0.2.25"));
    }

    @Test
    void sessionsAreCountedPerDayPolicyAndOutcomeNotOneRowEach() {
        for (int i = 0; i < 3; i++) {
            record(NOON, STS, TlsResultType.SUCCESS, "mx.example.test");
        }
        record(NOON, STS, TlsResultType.CERTIFICATE_EXPIRED, "mx.example.test");
        record(NOON, STS, TlsResultType.CERTIFICATE_EXPIRED, "mx.example.test");
        record(NOON, AppliedTlsPolicy.NONE_FOUND, TlsResultType.STARTTLS_NOT_SUPPORTED, "mx2.example.test");
        // the next UTC day is counted apart
        record(Instant.parse("2026-12-07T00:00:01Z"), STS, TlsResultType.SUCCESS, "mx.example.test");
        List<TlsResults.Count> day = stores.tlsResults().day(DAY);
        assertEquals(3, day.size(), day.toString());
        TlsResults.Count success = day.stream().filter(c -> c.result() == TlsResultType.SUCCESS).findFirst()
                .orElseThrow();
        assertEquals(3, success.sessions());
        assertEquals(STS, success.policy());
        assertEquals("", success.mxHost(), "successes are counted without their host");
        TlsResults.Count expired = day.stream().filter(c -> c.result() == TlsResultType.CERTIFICATE_EXPIRED)
                .findFirst().orElseThrow();
        assertEquals(new TlsResults.Count(EXAMPLE, STS, TlsResultType.CERTIFICATE_EXPIRED, "mx.example.test",
                "192.0.2.1", "192.0.2.25", 2), expired);
        assertTrue(day.stream().anyMatch(c -> c.policy().equals(AppliedTlsPolicy.NONE_FOUND)
                && c.mxHost().equals("mx2.example.test") && c.sessions() == 1));
        stores.tlsResults().forgetBefore(DAY.plusDays(1));
        assertEquals(List.of(), stores.tlsResults().day(DAY));
        assertEquals(1, stores.tlsResults().day(DAY.plusDays(1)).size());
    }

    @Test
    void aReportIsClaimedOnceAndAReleasedOneAgain() {
        SentReports sent = stores.sentReports();
        String to = "mailto:tlsrpt@example.test";
        assertTrue(sent.claim("tls", DAY, "example.test", to, NOON));
        assertFalse(sent.claim("tls", DAY, "example.test", to, NOON), "claimed already");
        assertTrue(sent.claim("tls", DAY, "example.test", "https://example.test/r", NOON), "another destination");
        assertTrue(sent.claim("tls", DAY.plusDays(1), "example.test", to, NOON), "another day");
        assertTrue(sent.claim("dmarc", DAY, "example.test", to, NOON), "another kind");
        sent.release("tls", DAY, "example.test", to);
        assertTrue(sent.claim("tls", DAY, "example.test", to, NOON), "released, so claimed again");
        sent.forgetBefore(DAY.plusDays(1));
        assertTrue(sent.claim("tls", DAY, "example.test", to, NOON), "forgotten");
    }
}
