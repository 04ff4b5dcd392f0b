package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.event.LogLines;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code serve --log-format FORMAT --log-level LEVEL}, over the configuration's {@code [log]}: the server's log
 * on standard output (mail events and what the server says of itself, at level info; a failed reload at warning)
 * and standard error (warnings and errors; the libraries' own lines at the level SLF4J gives them).
 */
final class LogOptions {

    // slf4j-simple's line: "[main] INFO org.eclipse.jetty.server.Server - Started ..."
    private static final Pattern LIBRARY_LINE = Pattern.compile("^\\[[^\\]]*\\] (ERROR|WARN|INFO|DEBUG|TRACE) ");

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "key=value (one line per event, as Postfix's mail log) or json (one object per line);"
                    + " default: [log] format, else key=value")
    String format;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warning, info or debug: the least grave line kept; default: [log] level, else info")
    String level;

    /** The configuration's [log], with what the command line says instead. */
    Config.Log over(Config.Log configured) {
        LogLines.Format f = format == null ? configured.format() : LogLines.Format.of(format);
        if (f == null) {
            throw new IllegalArgumentException("--log-format: expected key=value or json, got \"" + format + "\"");
        }
        LogLines.Level l = level == null ? configured.level() : LogLines.Level.of(level);
        if (l == null) {
            throw new IllegalArgumentException("--log-level: expected error, warning, info or debug, got \""
                    + level + "\"");
        }
        return new Config.Log(f, l);
    }

    /** Standard output as the log, every line of it at level info unless written with a level of its own. */
    static LogLines stdout(Config.Log log, Clock clock) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        return new LogLines(out, log.format(), log.level(), line -> LogLines.Level.INFO, clock);
    }

    /**
     * Standard error, in the log's format and at its level from now on (System.err is replaced): what Petrel
     * writes there is a warning, a library's line has SLF4J's level, which follows the log's level too.
     */
    static void redirectStderr(Config.Log log, Clock clock) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", switch (log.level()) {
            case ERROR -> "error";
            case WARNING -> "warn";
            case INFO -> "info";
            case DEBUG -> "debug";
        });
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setErr(new LogLines(err, log.format(), log.level(), LogOptions::stderrLevel, clock));
    }

    static LogLines.Level stderrLevel(String line) {
        Matcher m = LIBRARY_LINE.matcher(line);
        if (!m.find()) {
            return LogLines.Level.WARNING;
        }
        return m.group(1).equals("TRACE") ? LogLines.Level.DEBUG : LogLines.Level.of(m.group(1));
    }
}
