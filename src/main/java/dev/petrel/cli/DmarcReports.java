package dev.petrel.cli;

import dev.petrel.report.DailyReport;
import dev.petrel.config.Config;
import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.dmarc.AggregateRow;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.mail.dmarc.PublishedPolicy;
import dev.petrel.mail.mime.Attachment;
import dev.petrel.mail.mime.Composer;
import dev.petrel.mail.mime.Draft;
import dev.petrel.mail.mime.Mailbox;
import dev.petrel.mailauth.DmarcReport;
import dev.petrel.mailauth.ReportDestinations;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Sends a day's DMARC aggregate reports (RFC 7489 7.2): one report per policy domain whose record asked with
 * {@code rua}, to each of its mailto: destinations that passes external destination verification (7.1) and takes
 * the report's size, queued through intake (signed with the From domain's DKIM key when Petrel has one). Each
 * destination's report is marked sent in the store before it is queued, so that no run sends it twice.
 */
final class DmarcReports implements DailyReport {

    /** Queues one message through intake; answers "OK ..." or "ERR ..." as the control socket does. */
    @FunctionalInterface
    interface Door {
        String enqueue(Envelope envelope, byte[] content) throws IOException;
    }

    /** What became of the report to one destination. */
    enum Outcome { SENT, ALREADY_SENT, FAILED, REFUSED }

    /**
     * What one run did, destination by destination.
     *
     * @param sent reports queued now
     * @param alreadySent reports sent before, not again
     * @param failed reports that could not be sent now (a DNS failure, the queue refused): a later run tries
     * @param refused reports a destination may not have (unverified, too large)
     */
    record Tally(int sent, int alreadySent, int failed, int refused) {

        Tally plus(Outcome o) {
            return new Tally(sent + (o == Outcome.SENT ? 1 : 0), alreadySent + (o == Outcome.ALREADY_SENT ? 1 : 0),
                    failed + (o == Outcome.FAILED ? 1 : 0), refused + (o == Outcome.REFUSED ? 1 : 0));
        }

        @Override
        public String toString() {
            return sent + " queued, " + alreadySent + " sent before, " + failed + " failed, " + refused
                    + " refused by the destination's rules";
        }
    }

    private final Config.Reports settings;
    private final String hostname;
    private final DmarcAggregates aggregates;
    private final ReportDestinations destinations;
    private final Clock clock;
    private final RandomGenerator random;
    private final Consumer<String> log;
    private final Door door;

    /**
     * @param door where the report mail goes: intake, directly or through the control socket
     * @param log where a line per destination goes (the server's log, or standard output)
     */
    DmarcReports(Config config, DmarcAggregates aggregates, ReportDestinations destinations, Clock clock,
                 RandomGenerator random, Door door, Consumer<String> log) {
        this.door = door;
        this.settings = config.reports();
        this.hostname = config.hostname();
        this.aggregates = aggregates;
        this.destinations = destinations;
        this.clock = clock;
        this.random = random;
        this.log = log;
    }

    /** How many days of counts are kept after their reports were due. */
    static final int KEPT_DAYS = 14;

    @Override
    public String kind() {
        return "dmarc";
    }

    /**
     * Sends the reports of the UTC day that no earlier run sent (a destination that may not have one counts as
     * asking for none), and forgets the counts of days long past.
     */
    @Override
    public Summary send(LocalDate day) {
        Tally tally = tally(day);
        aggregates.forget(day.minusDays(KEPT_DAYS));
        return new Summary(tally.sent(), tally.alreadySent(), tally.failed(), tally.refused());
    }

    /** The day's reports, destination by destination. */
    Tally tally(LocalDate day) {
        Tally summary = new Tally(0, 0, 0, 0);
        for (PublishedPolicy policy : aggregates.policies(day)) {
            List<AggregateRow> rows = aggregates.rows(day, policy.domain());
            if (policy.rua().isEmpty() || rows.isEmpty()) {
                continue;
            }
            DmarcReport report = new DmarcReport(hostname, settings.organization(), settings.from(),
                    settings.contact().isEmpty() ? null : settings.contact(), reportId(day, policy.domain()), day,
                    policy, rows);
            byte[] gzip = report.gzip();
            for (ReportDestinations.Destination to : ReportDestinations.mailto(policy.rua())) {
                summary = summary.plus(sendTo(report, gzip, to));
            }
        }
        return summary;
    }

    // the same id for every destination of one report, so that a domain owner sees the copies as one
    private String reportId(LocalDate day, String domain) {
        return day.toString().replace("-", "") + "." + domain + "@" + hostname;
    }

    private Outcome sendTo(DmarcReport report, byte[] gzip, ReportDestinations.Destination to) {
        String domain = report.policy().domain();
        String what = "dmarc-report day=" + report.day() + " domain=" + domain + " to=<" + to.address() + ">";
        switch (destinations.verify(domain, to)) {
            case REFUSED -> {
                log.accept(what + " status=unverified (no v=DMARC1 at " + domain + "._report._dmarc."
                        + to.address().domain().name() + ")");
                return Outcome.REFUSED;
            }
            case TEMPORARY_FAILURE -> {
                log.accept(what + " status=deferred (DNS failure verifying the destination)");
                return Outcome.FAILED;
            }
            case AUTHORIZED -> { }
        }
        byte[] message = message(report, gzip, to.address());
        if (!to.takes(message.length)) {
            log.accept(what + " status=too-large size=" + message.length + " limit=" + to.maxSize());
            return Outcome.REFUSED;
        }
        return queue(report, message, to, what);
    }

    private Outcome queue(DmarcReport report, byte[] message, ReportDestinations.Destination to, String what) {
        String domain = report.policy().domain();
        String destination = to.address().toString();
        if (!aggregates.claim(report.day(), domain, destination, report.reportId(), clock.instant())) {
            log.accept(what + " status=already-sent");
            return Outcome.ALREADY_SENT;
        }
        String answer;
        try {
            answer = door.enqueue(envelope(to.address()), message);
        } catch (IOException | RuntimeException e) {
            answer = "ERR " + e.getMessage();
        }
        if (!answer.startsWith("OK")) {
            aggregates.release(report.day(), domain, destination);
            log.accept(what + " status=failed reason=\"" + answer.replaceFirst("^ERR ?", "") + "\"");
            return Outcome.FAILED;
        }
        log.accept(what + " status=queued report_id=" + report.reportId() + " " + answer.substring(2).strip());
        return Outcome.SENT;
    }

    private Envelope envelope(Address to) {
        return ControlRequest.localEnvelope(ReversePath.of(Address.of(settings.from())), List.of(Recipient.of(to)));
    }

    // RFC 7489 7.2.1.1: a MIME message, a human-readable part, and the gzip file as application/gzip
    private byte[] message(DmarcReport report, byte[] gzip, Address to) {
        String text = "This is a DMARC aggregate report (RFC 7489) from " + settings.organization() + " for "
                + report.policy().domain() + ", covering " + report.day() + " (UTC).\r\n";
        Draft draft = new Draft(Mailbox.of(Address.of(settings.from())), List.of(Mailbox.of(to)), List.of(), List.of(),
                List.of(), report.subject(), text, null, List.of(),
                List.of(new Attachment(report.fileName(), "application/gzip", gzip, null)));
        return new Composer(clock, random, Optional.ofNullable(Petrel.ownName(hostname))).compose(draft).content();
    }
}
