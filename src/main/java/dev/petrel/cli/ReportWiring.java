package dev.petrel.cli;

import java.util.ArrayList;
import java.security.SecureRandom;
import dev.petrel.mailauth.ReportDestinations;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.config.Config;
import dev.petrel.delivery.TlsResults;
import dev.petrel.intake.Intake;
import dev.petrel.mail.Address;
import dev.petrel.report.DailyReport;
import dev.petrel.report.DailyReports;
import dev.petrel.report.ReportOutbox;
import dev.petrel.report.Submitter;
import dev.petrel.report.TlsReports;
import dev.petrel.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** The daily reports that {@code [reports]} turns on, on the stores and intake of this server. */
final class ReportWiring {

    /** How long a POST of a report to an https: rua may take, connection included. */
    static final Duration POST_TIMEOUT = Duration.ofSeconds(30);

    private ReportWiring() {}

    /** Where delivery counts TLS results: the store when TLS reports are on, nowhere when they are off. */
    static TlsResults tlsResults(Config config, Stores stores) {
        return config.reports().tls() ? stores.tlsResults() : TlsResults.NONE;
    }

    /** The reports {@code [reports]} turns on, each kind sent once a day shortly after midnight UTC. */
    static DailyReports start(Config config, Stores stores, Intake intake, Clock clock, RandomGenerator random,
                              Consumer<String> log) {
        return DailyReports.start(reports(config, stores, intake, clock, log), clock, random, log);
    }

    /** Where intake counts DMARC verdicts: the store when DMARC reports are on, nowhere when they are off. */
    static DmarcAggregates aggregates(Config config, Stores stores) {
        return config.reports().dmarc() ? stores.dmarcAggregates() : DmarcAggregates.NONE;
    }

    static List<DailyReport> reports(Config config, Stores stores, Intake intake, Clock clock, Consumer<String> log) {
        Config.Reports r = config.reports();
        List<DailyReport> on = new ArrayList<>();
        if (r.tls()) {
            Submitter submitter = new Submitter(r.organization(), Address.of(r.from()), r.contact());
            on.add(new TlsReports(stores.tlsResults(), stores.sentReports(), DeliveryWiring.resolver(config, clock),
                    new ReportOutbox(intake, POST_TIMEOUT), submitter, clock, log));
        }
        if (r.dmarc()) {
            on.add(new DmarcReports(config, stores.dmarcAggregates(), new ReportDestinations(
                    DeliveryWiring.resolver(config, clock), PublicSuffixList.bundled()), clock, new SecureRandom(),
                    (envelope, content) -> ControlServer.enqueue(envelope, content, intake), log));
        }
        return List.copyOf(on);
    }
}
