package dev.petrel.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs a task once per UTC day for the day before, shortly after midnight with a random delay (so that the
 * receivers of many servers' reports are not all written to at 00:00), and once a few minutes after the server
 * starts, for a midnight it was down at (the task sends nothing twice). A run that fails is told to the log and
 * the next day's run comes as usual; what a day's run did not send, {@code petrel report send} can.
 */
final class DailyReports implements AutoCloseable {

    /** The longest delay after midnight. */
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final RandomGenerator random;
    private final Consumer<LocalDate> task;
    private final Consumer<String> log;

    private DailyReports(Clock clock, RandomGenerator random, Consumer<LocalDate> task, Consumer<String> log) {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("petrel-reports").daemon()
                .factory());
        this.clock = clock;
        this.random = random;
        this.task = task;
        this.log = log;
    }

    /** Scheduled from now: the first run catches up on yesterday a few minutes from now. */
    static DailyReports start(Clock clock, RandomGenerator random, Consumer<LocalDate> task, Consumer<String> log) {
        DailyReports reports = new DailyReports(clock, random, task, log);
        reports.timer.schedule(reports::run, reports.delayMillis(), TimeUnit.MILLISECONDS);
        return reports;
    }

    // between one minute and MAX_DELAY
    private long delayMillis() {
        return 60_000 + random.nextLong(MAX_DELAY.toMillis() - 60_000);
    }

    /** When the next run is due: the coming UTC midnight plus up to {@link #MAX_DELAY}. */
    static Instant nextRun(Instant now, long delayMillis) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusMillis(delayMillis);
    }

    private void scheduleNext() {
        Instant now = clock.instant();
        Instant at = nextRun(now, delayMillis());
        timer.schedule(this::run, Duration.between(now, at).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            task.accept(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1));
        } catch (RuntimeException e) {
            log.accept("daily-reports status=failed reason=\"" + e.getMessage() + "\"");
        } finally {
            if (!timer.isShutdown()) {
                scheduleNext();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
