package dev.petrel.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsPolicyType;
import dev.petrel.delivery.TlsResult;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.delivery.TlsResults;
import dev.petrel.dns.FakeResolver;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.testing.HandClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The daily TLS reports of one class: which domains get one and where (their {@code _smtp._tls} record), what the
 * JSON says (RFC 8460 4.4), and that a report is sent once, a failed one again later. The stores, DNS and the
 * outbox are small fakes here; TlsReportE2eTest runs the real ones.
 */
class TlsReportsTest {

    private static final LocalDate DAY = LocalDate.parse("2026-12-06");
    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    private static final Domain STS = Domain.parse("sts.test");
    private static final AppliedTlsPolicy POLICY = new AppliedTlsPolicy(TlsPolicyType.STS,
            List.of("version: STSv1", "mode: enforce", "mx: mx.sts.test", "max_age: 86400"), List.of("mx.sts.test"));
    private static final Submitter SUBMITTER = new Submitter("Example Org",
            Address.of("noreply-reports@mx.sender.test"), "ops@sender.test");

    private final MemoryResults results = new MemoryResults();
    private final MemorySent sent = new MemorySent();
    private final FakeResolver txt = new FakeResolver();
    private final List<String> outbox = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private boolean postFails;

    private TlsReports reports() {
        HandClock clock = new HandClock();
        clock.now = Instant.parse("2026-12-07T00:05:00Z");
        return new TlsReports(results, sent, txt, new Outbox() {
            @Override
            public void mail(Address from, Address to, byte[] message) {
                outbox.add("mail " + from + " " + to);
                bodies.add(message);
            }

            @Override
            public void post(URI url, String contentType, byte[] body) throws IOException {
                if (postFails) {
                    throw new IOException("refused");
                }
                outbox.add("post " + url + " " + contentType);
                bodies.add(body);
            }
        }, SUBMITTER, clock, line -> { });
    }

    @Test
    void recordsAreReadAsRfc8460Section3Says() {
        assertEquals(List.of(URI.create("mailto:tls@a.test"), URI.create("https://r.a.test/tlsrpt")),
                TlsRptRecord.parse(List.of("v=TLSRPTv1; rua=mailto:tls@a.test, https://r.a.test/tlsrpt;")));
        // other records beside it are ignored; two of ours mean none
        assertEquals(1, TlsRptRecord.parse(List.of("v=spf1 -all", "v=TLSRPTv1;rua=mailto:x@a.test")).size());
        assertEquals(List.of(), TlsRptRecord.parse(List.of("v=TLSRPTv1;rua=mailto:x@a.test",
                "v=TLSRPTv1;rua=mailto:y@a.test")));
        // only mailto and https
        assertEquals(List.of(), TlsRptRecord.parse(List.of("v=TLSRPTv1; rua=http://r.a.test/, ftp://r.a.test/")));
        assertEquals(List.of(), TlsRptRecord.parse(List.of("v=TLSRPTv10; rua=mailto:x@a.test")));
    }

    @Test
    void aDomainThatAsksGetsOneReportWithItsCountsAndOneThatDoesNotGetsNone() throws Exception {
        txt.txt("_smtp._tls.sts.test", "v=TLSRPTv1; rua=mailto:tlsrpt@sts.test,https://r.sts.test/in");
        for (int i = 0; i < 4; i++) {
            results.record(new TlsResult(NOON, STS, POLICY, TlsResultType.SUCCESS, "mx.sts.test", "192.0.2.1",
                    "192.0.2.25"));
        }
        results.record(new TlsResult(NOON, STS, POLICY, TlsResultType.STARTTLS_NOT_SUPPORTED, "mx.sts.test",
                "192.0.2.1", "192.0.2.25"));
        results.record(new TlsResult(NOON, Domain.parse("quiet.test"), AppliedTlsPolicy.NONE_FOUND,
                TlsResultType.SUCCESS, "mx.quiet.test", "192.0.2.1", "192.0.2.26"));
        DailyReport.Summary summary = reports().send(DAY);
        assertEquals(new DailyReport.Summary(2, 0, 0, 1), summary);
        assertEquals(List.of("mail noreply-reports@mx.sender.test tlsrpt@sts.test",
                "post https://r.sts.test/in application/tlsrpt+gzip"), outbox);
        JsonNode report = new ObjectMapper().readTree(new GZIPInputStream(new ByteArrayInputStream(bodies.get(1))));
        assertEquals("Example Org", report.path("organization-name").asText());
        assertEquals("2026-12-06T00:00:00Z", report.path("date-range").path("start-datetime").asText());
        assertEquals("2026-12-06T23:59:59Z", report.path("date-range").path("end-datetime").asText());
        assertEquals("ops@sender.test", report.path("contact-info").asText());
        assertEquals("2026-12-06T00:00:00Z_sts.test@mx.sender.test", report.path("report-id").asText());
        JsonNode policy = report.path("policies").get(0);
        assertEquals("sts", policy.path("policy").path("policy-type").asText());
        assertEquals("mode: enforce", policy.path("policy").path("policy-string").get(1).asText());
        assertEquals("sts.test", policy.path("policy").path("policy-domain").asText());
        assertEquals(4, policy.path("summary").path("total-successful-session-count").asLong());
        assertEquals(1, policy.path("summary").path("total-failure-session-count").asLong());
        JsonNode failure = policy.path("failure-details").get(0);
        assertEquals("starttls-not-supported", failure.path("result-type").asText());
        assertEquals("mx.sts.test", failure.path("receiving-mx-hostname").asText());
        assertEquals("192.0.2.25", failure.path("receiving-ip").asText());
        assertEquals("192.0.2.1", failure.path("sending-mta-ip").asText());
        String mail = new String(bodies.get(0), StandardCharsets.UTF_8);
        assertTrue(mail.contains("Subject: Report Domain: sts.test\r\n Submitter: mx.sender.test\r\n Report-ID: "
                + "<2026-12-06T00:00:00Z_sts.test@mx.sender.test>\r\n"), mail);
        assertTrue(mail.contains("filename=\"mx.sender.test!sts.test!1796515200!1796601599.json.gz\""), mail);
        // a second run sends nothing again
        assertEquals(new DailyReport.Summary(0, 2, 0, 1), reports().send(DAY));
        assertEquals(2, outbox.size());
    }

    @Test
    void aReportThatCouldNotBePostedIsSentAtTheNextRun() {
        txt.txt("_smtp._tls.sts.test", "v=TLSRPTv1; rua=https://r.sts.test/in");
        results.record(new TlsResult(NOON, STS, POLICY, TlsResultType.SUCCESS, "mx.sts.test", "192.0.2.1",
                "192.0.2.25"));
        postFails = true;
        assertEquals(new DailyReport.Summary(0, 0, 1, 0), reports().send(DAY));
        postFails = false;
        assertEquals(new DailyReport.Summary(1, 0, 0, 0), reports().send(DAY));
        assertEquals(List.of("post https://r.sts.test/in application/tlsrpt+gzip"), outbox);
    }

    @Test
    void runsComeShortlyAfterMidnightAndEveryHourWhileSomethingFailed() {
        Instant evening = Instant.parse("2026-12-07T21:30:00Z");
        Duration delay = Duration.ofMinutes(4);
        assertEquals(Instant.parse("2026-12-08T00:04:00Z"), DailyReports.nextRun(evening, false, delay));
        assertEquals(Instant.parse("2026-12-07T22:30:00Z"), DailyReports.nextRun(evening, true, delay));
        // no hour left in the day: the next run is the next day's
        assertEquals(Instant.parse("2026-12-08T00:04:00Z"),
                DailyReports.nextRun(Instant.parse("2026-12-07T23:10:00Z"), true, delay));
    }

    private static final class MemoryResults implements TlsResults {
        final List<TlsResult> all = new ArrayList<>();

        @Override
        public void record(TlsResult r) {
            all.add(r);
        }

        @Override
        public List<Count> day(LocalDate day) {
            Map<List<Object>, Long> counts = new java.util.LinkedHashMap<>();
            for (TlsResult r : all) {
                counts.merge(List.of(r.policyDomain(), r.policy(), r.result(), r.mxHost(), r.sendingIp(),
                        r.receivingIp()), 1L, Long::sum);
            }
            List<Count> out = new ArrayList<>();
            counts.forEach((k, n) -> out.add(new Count((Domain) k.get(0), (AppliedTlsPolicy) k.get(1),
                    (TlsResultType) k.get(2), (String) k.get(3), (String) k.get(4), (String) k.get(5), n)));
            return out;
        }

        @Override
        public void forgetBefore(LocalDate day) {}
    }

    private static final class MemorySent implements SentReports {
        final Set<List<Object>> claimed = new HashSet<>();

        @Override
        public boolean claim(String kind, LocalDate day, String domain, String destination, Instant at) {
            return claimed.add(List.of(kind, day, domain, destination));
        }

        @Override
        public void release(String kind, LocalDate day, String domain, String destination) {
            claimed.remove(List.of(kind, day, domain, destination));
        }

        @Override
        public void forgetBefore(LocalDate day) {}
    }
}
