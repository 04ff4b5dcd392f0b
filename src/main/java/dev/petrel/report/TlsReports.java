package dev.petrel.report;

import dev.petrel.delivery.TlsResults;
import dev.petrel.dns.Resolver;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The daily TLS reports (RFC 8460): for each domain with results on the day, the report goes to every URI of the
 * domain's {@code rua}: mailed through the outbox ({@code mailto:}), or posted as {@code application/tlsrpt+gzip}
 * ({@code https:}). Each is claimed in {@link SentReports} first, and given back when it could not be sent.
 */
public final class TlsReports implements DailyReport {

    public static final String KIND = "tls";
    // RFC 8460 5.4: the media type of a gzip-compressed report over HTTPS
    static final String GZIP_TYPE = "application/tlsrpt+gzip";
    /** How many days of results and of the record of sent reports are kept. */
    static final int KEPT_DAYS = 31;

    private final TlsResults results;
    private final SentReports sent;
    private final Resolver resolver;
    private final Outbox outbox;
    private final Submitter submitter;
    private final Clock clock;
    private final Consumer<String> log;

    public TlsReports(TlsResults results, SentReports sent, Resolver resolver, Outbox outbox, Submitter submitter,
                      Clock clock, Consumer<String> log) {
        this.results = results;
        this.sent = sent;
        this.resolver = resolver;
        this.outbox = outbox;
        this.submitter = submitter;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Summary send(LocalDate day) {
        Summary summary = Summary.NONE;
        for (Map.Entry<Domain, List<TlsResults.Count>> e : byDomain(results.day(day)).entrySet()) {
            summary = summary.plus(send(new TlsReport(submitter, day, e.getKey(), e.getValue())));
        }
        LocalDate oldest = LocalDate.now(clock).minusDays(KEPT_DAYS);
        results.forgetBefore(oldest);
        sent.forgetBefore(oldest);
        return summary;
    }

    private static Map<Domain, List<TlsResults.Count>> byDomain(List<TlsResults.Count> counts) {
        Map<Domain, List<TlsResults.Count>> out = new LinkedHashMap<>();
        counts.forEach(c -> out.computeIfAbsent(c.policyDomain(), d -> new java.util.ArrayList<>()).add(c));
        return out;
    }

    private Summary send(TlsReport report) {
        List<URI> rua;
        try {
            rua = TlsRptRecord.rua(resolver, report.domain());
        } catch (IOException e) {
            log.accept("tlsrpt failed domain=" + report.domain().name() + " day=" + report.day() + " reason=\""
                    + e.getMessage() + "\"");
            return new Summary(0, 0, 1, 0);
        }
        if (rua.isEmpty()) {
            return new Summary(0, 0, 0, 1);
        }
        Summary summary = Summary.NONE;
        for (URI to : rua) {
            summary = summary.plus(sendTo(report, to));
        }
        return summary;
    }

    private Summary sendTo(TlsReport report, URI to) {
        String domain = report.domain().name();
        if (!sent.claim(KIND, report.day(), domain, to.toString(), clock.instant())) {
            return new Summary(0, 1, 0, 0);
        }
        try {
            if (to.getScheme().equalsIgnoreCase("mailto")) {
                Address rcpt = Address.of(to.getSchemeSpecificPart().split("\\?", 2)[0]);
                outbox.mail(submitter.from(), rcpt, ReportMail.of(report, rcpt));
            } else {
                outbox.post(to, GZIP_TYPE, report.gzipped());
            }
        } catch (IOException | RuntimeException e) {
            sent.release(KIND, report.day(), domain, to.toString());
            log.accept("tlsrpt failed domain=" + domain + " day=" + report.day() + " to=" + to + " reason=\""
                    + e.getMessage() + "\"");
            return new Summary(0, 0, 1, 0);
        }
        log.accept("tlsrpt sent domain=" + domain + " day=" + report.day() + " to=" + to + " id=" + report.id());
        return new Summary(1, 0, 0, 0);
    }
}
