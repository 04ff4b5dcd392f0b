package dev.petrel.cli;

import dev.petrel.report.DailyReports;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Daily reports to other domains (TLS reports, RFC 8460; DMARC aggregate"
        + " reports, RFC 7489)",
        subcommands = {ReportCommand.Send.class})
final class ReportCommand {

    @Command(name = "send", description = {"Send a UTC day's reports now (the server sends them shortly after each"
            + " UTC midnight); a report already sent is not sent again."})
    static final class Send implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--day", paramLabel = "YYYY-MM-DD", converter = Arguments.DayArg.class,
                description = "the UTC day reported (default: yesterday)")
        LocalDate day;

        @Option(names = "--kind", defaultValue = DailyReports.ALL, paramLabel = "KIND",
                description = "tls, dmarc or all (the default): the kinds [reports] turns on")
        String kind;

        @Override
        public Integer call() throws Exception {
            LocalDate which = day != null ? day : LocalDate.now(ZoneOffset.UTC).minusDays(1);
            return QueueAccess.report(QueueAccess.perform(config.load(), new ControlRequest.Report(which, kind)));
        }
    }
}
