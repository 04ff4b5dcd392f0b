package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mail.dmarc.PublishedPolicy;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.mailauth.ReportDestinations;
import dev.petrel.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One day's DMARC reports over a real SQLite store, queued through a door the test holds: each rua destination
 * once, a report larger than a destination's limit not at all, and a report the door refused sent on the next run.
 * The destinations share the policy domain's organizational domain, so no DNS is asked.
 */
class DmarcReportsSendTest {

    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-12-06");

    @TempDir
    Path dir;

    private Stores stores;
    private Config config;
    private ReportDestinations destinations;
    private Clock clock;
    private final List<String> log = new ArrayList<>();
    private final List<Envelope> queued = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        config = ConfigLoader.parse("hostname = \"mx.receiver.test\"\n[reports]\ndmarc = true\n", dir);
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        clock = Clock.fixed(NOON.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        // a resolver that would time out: the test fails if a destination needed DNS
        destinations = new ReportDestinations(new DnsjavaResolver(DnsjavaResolver.Settings.of(
                List.of("127.0.0.1:9")).withTimeout(Duration.ofMillis(100)).withRetries(0), clock),
                PublicSuffixList.bundled());
    }

    private DmarcReports reports(DmarcReports.Door door) {
        return new DmarcReports(config, stores.dmarcAggregates(), destinations, clock, new SecureRandom(), door,
                log::add);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private void count(String... rua) {
        stores.dmarcAggregates().record(new DmarcVerdict(NOON, new PublishedPolicy("sender.test", "r", "r", "none",
                "none", 100, "0", List.of(rua)), "192.0.2.1", "none", "pass", "pass", "", "sender.test", "sender.test",
                List.of(), new DmarcVerdict.SpfAuth("sender.test", "mfrom", "pass")));
    }

    private String door(Envelope envelope, byte[] content) {
        queued.add(envelope);
        assertTrue(new String(content, StandardCharsets.US_ASCII).contains("Content-Type: application/gzip"));
        return "OK 250 2.0.0 Ok: queued as X";
    }

    @Test
    void eachDestinationGetsTheReportOnce() {
        count("mailto:dmarc@sender.test", "mailto:copy@reports.sender.test");
        assertEquals(new DmarcReports.Summary(2, 0, 0, 0), reports(this::door).send(DAY));
        assertEquals(List.of("dmarc@sender.test", "copy@reports.sender.test"),
                queued.stream().map(e -> e.recipients().getFirst().address().toString()).toList());
        assertEquals("noreply-reports@mx.receiver.test", queued.getFirst().reversePath().toString());
        assertEquals(new DmarcReports.Summary(0, 2, 0, 0), reports(this::door).send(DAY));
        assertEquals(2, queued.size(), "nothing more queued");
        assertEquals(new DmarcReports.Summary(0, 0, 0, 0), reports(this::door).send(DAY.plusDays(1)),
                "nothing counted");
    }

    @Test
    void aReportOverTheDestinationsLimitIsNotSent() {
        count("mailto:small@sender.test!1k", "mailto:big@sender.test!1m");
        assertEquals(new DmarcReports.Summary(1, 0, 0, 1), reports(this::door).send(DAY));
        assertEquals("big@sender.test", queued.getFirst().recipients().getFirst().address().toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("dmarc-report day=2026-12-06 domain=sender.test"
                + " to=<small@sender.test> status=too-large size=") && l.endsWith(" limit=1024")), log.toString());
    }

    @Test
    void aReportTheQueueRefusedGoesOnTheNextRun() {
        count("mailto:dmarc@sender.test");
        assertEquals(new DmarcReports.Summary(0, 0, 1, 0), reports((envelope, content) -> {
            throw new IOException("disk full");
        }).send(DAY));
        assertTrue(log.getLast().endsWith("status=failed reason=\"disk full\""), log.toString());
        assertEquals(new DmarcReports.Summary(1, 0, 0, 0), reports(this::door).send(DAY));
    }
}
