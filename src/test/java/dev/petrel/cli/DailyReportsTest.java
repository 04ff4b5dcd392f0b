package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the daily reports run: after the coming UTC midnight, by the delay drawn. */
class DailyReportsTest {

    @ParameterizedTest
    @CsvSource({
            "2026-12-06T12:00:00Z, 60000, 2026-12-07T00:01:00Z",
            "2026-12-06T23:59:59Z, 0, 2026-12-07T00:00:00Z",
            // at midnight itself (a run that came early): the next midnight
            "2026-12-07T00:00:00Z, 599999, 2026-12-08T00:09:59.999Z"})
    void theNextRunIsAfterTheComingMidnight(String now, long delayMillis, String expected) {
        assertEquals(Instant.parse(expected), DailyReports.nextRun(Instant.parse(now), delayMillis));
    }
}
