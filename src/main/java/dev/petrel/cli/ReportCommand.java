package dev.petrel.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Daily reports to other domains (TLS reports, RFC 8460)",
        subcommands = {ReportCommand.Send.class})
final class ReportCommand {

    @Command(name = "send", description = "Send a UTC day's reports now (those not sent yet)")
    static final class Send implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--day", required = true, paramLabel = "YYYY-MM-DD", converter = Arguments.DayArg.class,
                description = "the UTC day reported")
        LocalDate day;

        @Option(names = "--kind", defaultValue = "tls", paramLabel = "KIND", description = "tls (the default)")
        String kind;

        @Override
        public Integer call() throws Exception {
            return QueueAccess.report(QueueAccess.perform(config.load(), new ControlRequest.Report(day, kind)));
        }
    }
}
