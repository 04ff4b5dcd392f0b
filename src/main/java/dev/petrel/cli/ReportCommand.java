package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.mailauth.PublicSuffixList;
import dev.petrel.mailauth.ReportDestinations;
import dev.petrel.store.Stores;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Reports Petrel sends to other domains once a day",
        subcommands = {ReportCommand.Send.class})
final class ReportCommand {

    /** The kinds of report. */
    enum Kind { dmarc }

    @Command(name = "send", description = {"Send a day's reports now (the server sends them shortly after each UTC"
            + " midnight); a report already sent is not sent again.", "DMARC aggregate reports (RFC 7489) go to the"
            + " rua of each domain whose mail was counted that day ([reports] dmarc = true)."})
    static final class Send implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "the UTC day (default: yesterday)")
        LocalDate day;

        @Option(names = "--kind", paramLabel = "KIND", description = "only this kind: ${COMPLETION-CANDIDATES}"
                + " (default: all)")
        Kind kind;

        @Override
        public Integer call() throws Exception {
            Config c = config.load();
            Clock clock = Clock.systemUTC();
            LocalDate which = day != null ? day : LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
            try (Stores stores = Petrel.stores(c)) {
                DmarcReports reports = new DmarcReports(c, stores.dmarcAggregates(), new ReportDestinations(
                        DeliveryWiring.resolver(c, clock), PublicSuffixList.bundled()), clock, new SecureRandom(),
                        (envelope, content) -> QueueAccess.perform(c, new ControlRequest.Enqueue(envelope, content)),
                        System.out::println);
                System.out.println(reports.kind() + " reports for " + which + ": " + reports.send(which));
            }
            return 0;
        }
    }
}
