package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.config.Config;
import dev.petrel.event.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** serve's --log-format and --log-level over [log], and the level of a line on standard error. */
class LogOptionsTest {

    private static final Config.Log CONFIGURED = new Config.Log(LogLines.Format.JSON, LogLines.Level.WARNING);

    @Test
    void withoutOptionsTheConfigurationHolds() {
        assertEquals(CONFIGURED, new LogOptions().over(CONFIGURED));
    }

    @Test
    void theOptionsWinOverTheConfiguration() {
        LogOptions options = new LogOptions();
        options.format = "key=value";
        options.level = "debug";
        assertEquals(new Config.Log(LogLines.Format.KEY_VALUE, LogLines.Level.DEBUG), options.over(CONFIGURED));
    }

    @Test
    void aWrongValueNamesTheOption() {
        LogOptions options = new LogOptions();
        options.level = "verbose";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options.over(CONFIGURED));
        assertEquals("--log-level: expected error, warning, info or debug, got \"verbose\"", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # a library's line (slf4j-simple) has the level it says
            [main] INFO org.eclipse.jetty.server.Server - Started       | INFO
            [main] WARN io.micrometer.prometheusmetrics.Registry - late  | WARNING
            [pool-1] ERROR com.zaxxer.hikari.pool.HikariPool - failed    | ERROR
            [main] TRACE org.flywaydb.core - detail                      | DEBUG
            # anything else Petrel writes on standard error is a warning
            petrel: send counts not written, tried again in 1s: disk full | WARNING
            INFO without brackets                                        | WARNING
            """)
    void aLineOnStandardErrorHasTheLevelItsWriterGaveIt(String line, LogLines.Level level) {
        assertEquals(level, LogOptions.stderrLevel(line.strip()));
    }
}
