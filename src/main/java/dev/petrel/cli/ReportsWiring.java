package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.intake.Intake;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.mailauth.ReportDestinations;
import dev.petrel.store.Stores;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;

/** {@code [reports]}: the DMARC verdicts intake counts, and the daily run that sends their reports. */
final class ReportsWiring {

    /** How many days of counts are kept after their reports were due. */
    static final int KEPT_DAYS = 14;

    private ReportsWiring() {}

    /** Where intake counts DMARC verdicts: nowhere unless {@code [reports] dmarc = true}. */
    static DmarcAggregates aggregates(Config config, Stores stores) {
        return config.reports().dmarc() ? stores.dmarcAggregates() : DmarcAggregates.NONE;
    }

    /** The daily run, or null when no report is on. */
    static DailyReports start(Config config, Stores stores, Intake intake, Clock clock, PrintStream log) {
        if (!config.reports().dmarc()) {
            return null;
        }
        Consumer<String> lines = line -> {
            synchronized (log) {
                log.println(line);
            }
        };
        SecureRandom random = new SecureRandom();
        DmarcReports dmarc = new DmarcReports(config, stores.dmarcAggregates(), new ReportDestinations(
                DeliveryWiring.resolver(config, clock), PublicSuffixList.bundled()), clock, random,
                (envelope, content) -> ControlServer.enqueue(envelope, content, intake), lines);
        return DailyReports.start(clock, random, day -> {
            DmarcReports.Summary s = dmarc.send(day);
            if (s.sent() + s.failed() + s.refused() > 0) {
                lines.accept("reports kind=" + dmarc.kind() + " day=" + day + " " + s);
            }
            stores.dmarcAggregates().forget(day.minusDays(KEPT_DAYS));
        }, lines);
    }
}
