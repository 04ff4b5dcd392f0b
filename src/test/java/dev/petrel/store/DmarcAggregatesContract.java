package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.dmarc.AggregateRow;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mail.dmarc.PublishedPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of DMARC aggregates does: verdicts alike add up to one row with their count, a different
 * source or result makes another row, each UTC day and policy domain apart; the policy kept is the day's last;
 * a report is claimed once per destination, and a released claim can be made again; old days are forgotten.
 */
abstract class DmarcAggregatesContract {

    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-12-06");
    private static final PublishedPolicy POLICY = new PublishedPolicy("sender.test", "r", "s", "reject", "quarantine",
            100, "0", List.of("mailto:dmarc@sender.test", "mailto:rua@reports.test!10m"));

    private Stores stores;
    private DmarcAggregates aggregates;

    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        stores = open();
        aggregates = stores.dmarcAggregates();
    }

    @AfterEach
    final void closeStore() {
        stores.close();
    }

    private static DmarcVerdict verdict(Instant at, String ip, String disposition, String dkim) {
        return new DmarcVerdict(at, POLICY, ip, disposition, dkim, "fail", "", "sender.test", "bounce.sender.test",
                List.of(new DmarcVerdict.DkimAuth("sender.test", "s1", dkim),
                        new DmarcVerdict.DkimAuth("esp.test", "", "pass")),
                new DmarcVerdict.SpfAuth("bounce.sender.test", "mfrom", "softfail"));
    }

    @Test
    void verdictsAlikeAreOneRowWithTheirCount() {
        for (int i = 0; i < 3; i++) {
            aggregates.record(verdict(NOON.plusSeconds(i), "192.0.2.1", "none", "pass"));
        }
        assertEquals(List.of(new AggregateRow("192.0.2.1", 3, "none", "pass", "fail", "", "sender.test",
                "bounce.sender.test", List.of(new DmarcVerdict.DkimAuth("sender.test", "s1", "pass"),
                        new DmarcVerdict.DkimAuth("esp.test", "", "pass")),
                new DmarcVerdict.SpfAuth("bounce.sender.test", "mfrom", "softfail"))),
                aggregates.rows(DAY, "sender.test"));
        assertEquals(List.of(POLICY), aggregates.policies(DAY));
    }

    @Test
    void anotherSourceOrResultIsAnotherRowAndDaysAreApart() {
        aggregates.record(verdict(NOON, "192.0.2.1", "none", "pass"));
        aggregates.record(verdict(NOON, "192.0.2.2", "none", "pass"));
        aggregates.record(verdict(NOON, "192.0.2.1", "reject", "fail"));
        // 23:59:59 is still the day; 00:00 the next
        aggregates.record(verdict(Instant.parse("2026-12-06T23:59:59Z"), "192.0.2.1", "none", "pass"));
        aggregates.record(verdict(Instant.parse("2026-12-07T00:00:00Z"), "192.0.2.1", "none", "pass"));
        List<AggregateRow> rows = aggregates.rows(DAY, "sender.test");
        assertEquals(3, rows.size(), rows.toString());
        assertEquals(List.of(2L, 1L, 1L), rows.stream().map(AggregateRow::count).toList());
        assertEquals(1, aggregates.rows(DAY.plusDays(1), "sender.test").size());
        assertEquals(List.of(), aggregates.rows(DAY, "other.test"));
    }

    @Test
    void theDaysLastPolicyIsKept() {
        aggregates.record(verdict(NOON, "192.0.2.1", "none", "pass"));
        PublishedPolicy relaxed = new PublishedPolicy("sender.test", "r", "r", "none", "none", 50, "1",
                List.of("mailto:dmarc@sender.test"));
        aggregates.record(new DmarcVerdict(NOON.plusSeconds(60), relaxed, "192.0.2.1", "none", "pass", "fail", "",
                "sender.test", "", List.of(), new DmarcVerdict.SpfAuth("helo.test", "helo", "none")));
        assertEquals(List.of(relaxed), aggregates.policies(DAY));
        assertEquals(2, aggregates.rows(DAY, "sender.test").size(), "no DKIM result and the helo scope are kept too");
    }

    @Test
    void aReportIsClaimedOncePerDestinationUntilReleased() {
        assertTrue(aggregates.claim(DAY, "sender.test", "dmarc@sender.test", "r1", NOON));
        assertFalse(aggregates.claim(DAY, "sender.test", "dmarc@sender.test", "r1", NOON), "sent already");
        assertTrue(aggregates.claim(DAY, "sender.test", "rua@reports.test", "r1", NOON), "another destination");
        assertTrue(aggregates.claim(DAY.plusDays(1), "sender.test", "dmarc@sender.test", "r2", NOON), "another day");
        aggregates.release(DAY, "sender.test", "dmarc@sender.test");
        assertTrue(aggregates.claim(DAY, "sender.test", "dmarc@sender.test", "r1", NOON), "released: sent again");
    }

    @Test
    void daysBeforeTheGivenOneAreForgotten() {
        aggregates.record(verdict(NOON, "192.0.2.1", "none", "pass"));
        aggregates.record(verdict(NOON.plusSeconds(86_400), "192.0.2.1", "none", "pass"));
        assertTrue(aggregates.claim(DAY, "sender.test", "dmarc@sender.test", "r1", NOON));
        aggregates.forget(DAY.plusDays(1));
        assertEquals(List.of(), aggregates.rows(DAY, "sender.test"));
        assertEquals(List.of(), aggregates.policies(DAY));
        assertTrue(aggregates.claim(DAY, "sender.test", "dmarc@sender.test", "r1", NOON), "the mark went too");
        assertEquals(1, aggregates.rows(DAY.plusDays(1), "sender.test").size());
    }
}
