package dev.petrel.cli;

import picocli.CommandLine.Option;

/**
 * The send limits a command may change ({@code tenant set}, {@code stream set}): each option given is set, each
 * left out stays as it is. A verb with more to change extends this group with its own options.
 */
class LimitOptions {

    @Option(names = "--per-second", paramLabel = "N", converter = Arguments.PerSecondArg.class,
            description = "Messages a second (a burst of one second's worth), 0 for no limit")
    Long perSecond;

    @Option(names = "--per-day", paramLabel = "N", converter = Arguments.PerDayArg.class,
            description = "Messages a UTC day, 0 for no limit")
    Long perDay;

    boolean limitsGiven() {
        return perSecond != null || perDay != null;
    }
}
