package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Address;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rua list's mailto: URIs and their size limits (RFC 7489 6.2), and external destination verification (7.1). */
class ReportDestinationsTest {

    private static Dnsmasq dns;
    private static ReportDestinations destinations;

    @BeforeAll
    static void startDns() throws Exception {
        dns = new Dnsmasq("ready.owner.test", List.of("--local=/owner.test/", "--local=/reports.test/",
                "--host-record=ready.owner.test,127.0.0.1",
                "--txt-record=owner.test._report._dmarc.reports.test,v=DMARC1",
                "--txt-record=liar.test._report._dmarc.reports.test,v=spf1 -all"));
        destinations = new ReportDestinations(new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address())),
                Clock.systemUTC()), PublicSuffixList.bundled());
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    private static ReportDestinations.Destination to(String address, long max) {
        return new ReportDestinations.Destination(Address.of(address), max);
    }

    @Test
    void mailtoUrisAreReadWithTheirSizeLimitsAndOtherSchemesLeftOut() {
        assertEquals(List.of(to("dmarc@owner.test", -1), to("big@owner.test", 10L << 20), to("k@owner.test", 500L << 10),
                        to("plain@owner.test", 2048), to("a+b@owner.test", -1),
                        to("c+d@owner.test", -1)),
                ReportDestinations.mailto(List.of("mailto:dmarc@owner.test", " MAILTO:big@owner.test!10m",
                        "mailto:k@owner.test!500k", "mailto:plain@owner.test!2048", "https://owner.test/dmarc",
                        "mailto:not an address", "mailto:a%2Bb@owner.test", "mailto:c+d@owner.test")));
    }

    @Test
    void aDestinationTakesAReportUpToItsLimit() {
        assertTrue(to("d@owner.test", 100).takes(100));
        assertFalse(to("d@owner.test", 100).takes(101));
        assertTrue(to("d@owner.test", -1).takes(Long.MAX_VALUE));
    }

    @Test
    void theSameOrganizationalDomainNeedsNoRecord() {
        assertEquals(ReportDestinations.Verification.AUTHORIZED,
                destinations.verify("mail.owner.test", to("dmarc@reports.owner.test", -1)));
    }

    @Test
    void anotherDomainMustPublishTheVerificationRecord() {
        assertEquals(ReportDestinations.Verification.AUTHORIZED,
                destinations.verify("owner.test", to("rua@reports.test", -1)));
        assertEquals(ReportDestinations.Verification.REFUSED,
                destinations.verify("stranger.test", to("rua@reports.test", -1)), "no record");
        assertEquals(ReportDestinations.Verification.REFUSED,
                destinations.verify("liar.test", to("rua@reports.test", -1)), "a record, but not v=DMARC1");
    }

    @Test
    void aDnsFailureIsNeitherYesNorNo() throws Exception {
        // a name server that does not answer
        ReportDestinations silent = new ReportDestinations(new DnsjavaResolver(DnsjavaResolver.Settings.of(
                List.of("127.0.0.1:9")).withTimeout(Duration.ofMillis(200)).withRetries(0).withCacheSize(0),
                Clock.systemUTC()), PublicSuffixList.bundled());
        assertEquals(ReportDestinations.Verification.TEMPORARY_FAILURE,
                silent.verify("owner.test", to("rua@reports.test", -1)));
    }
}
