package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            # one unit each: ms, s, m, h, d
            0ms,    PT0S
            250ms,  PT0.25S
            45s,    PT45S
            10m,    PT10M
            3h,     PT3H
            5d,     PT120H
            # surrounding space is forgiven
            ' 5m ', PT5M
            """)
    void durationsParse(String text, Duration expected) {
        assertEquals(expected, Units.duration(text));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "5", "m", "5M", "5 m", "5min", "1.5h", "-1s", "1h30m", "5w",
            // too long for a Duration, or for a long
            "9999999999999999d", "99999999999999999999ms"})
    void malformedDurationsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Units.duration(text));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            # plain octets
            0,       0
            4096,    4096
            4096B,   4096
            # SI units are powers of ten
            2KB,     2000
            10MB,    10000000
            1GB,     1000000000
            # binary units are powers of two, in any case
            512KiB,  524288
            25MiB,   26214400
            2GiB,    2147483648
            1kib,    1024
            # a space between number and unit is fine
            10 MiB,  10485760
            """)
    void sizesParse(String text, long expected) {
        assertEquals(expected, Units.size(text));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "MB", "1.5MB", "-1", "10TB", "10 M", "ten", "99999999999GiB"})
    void malformedOrOverflowingSizesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Units.size(text));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            # the largest whole unit is chosen
            PT0.5S,  500ms
            PT1.5S,  1500ms
            PT30S,   30s
            PT90S,   90s
            PT5M,    5m
            PT90M,   90m
            PT2H,    2h
            PT48H,   2d
            PT25H,   25h
            """)
    void durationsFormatWithTheLargestWholeUnit(Duration duration, String text) {
        assertEquals(text, Units.format(duration));
    }

    @Property(tries = 500)
    void formattedDurationsParseBack(@ForAll @IntRange(min = 1, max = 100_000) int n,
                                     @ForAll @IntRange(min = 0, max = 4) int unit) {
        String[] units = {"ms", "s", "m", "h", "d"};
        Duration d = Units.duration(n + units[unit]);
        assertEquals(d, Units.duration(Units.format(d)));
    }
}
