package dev.petrel.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Sends each kind of daily report once per UTC day, for the day before: shortly after midnight, after a random
 * delay of one to ten minutes so that not every server reports at the same moment (RFC 8460 4.1 asks for it), and
 * once soon after start, for a day missed while the server was down. While a report could not be sent, the run
 * is repeated every hour until the day ends. What was sent is in {@link SentReports}, so a run sends only what is
 * missing, and a restart nothing twice.
 */
public final class DailyReports implements AutoCloseable {

    /** Every kind of report that is on. */
    public static final String ALL = "all";

    static final Duration RETRY = Duration.ofHours(1);
    static final Duration MIN_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private final List<DailyReport> reports;
    private final Clock clock;
    private final RandomGenerator random;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean closed;

    private DailyReports(List<DailyReport> reports, Clock clock, RandomGenerator random, Consumer<String> log) {
        this.reports = List.copyOf(reports);
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.thread = Thread.ofVirtual().name("petrel-daily-reports").unstarted(this::loop);
    }

    /** Reports of these kinds, on their schedule from now on. */
    public static DailyReports start(List<DailyReport> reports, Clock clock, RandomGenerator random,
                                     Consumer<String> log) {
        DailyReports daily = new DailyReports(reports, clock, random, log);
        if (!daily.reports.isEmpty()) {
            daily.thread.start();
        }
        return daily;
    }

    /** Reports of these kinds, sent only when asked ({@link #send}): for the command line without a server. */
    public static DailyReports unscheduled(List<DailyReport> reports, Clock clock) {
        return new DailyReports(reports, clock, RandomGenerator.getDefault(), line -> { });
    }

    /**
     * Sends the day's reports of a kind ({@link #ALL}: of every kind on) now (the command line's {@code report
     * send}); empty for a kind not on.
     */
    public Optional<DailyReport.Summary> send(String kind, LocalDate day) {
        return reports.stream().filter(r -> kind.equals(ALL) || r.kind().equals(kind)).map(r -> r.send(day))
                .reduce(DailyReport.Summary::plus);
    }

    /**
     * When to run next: in an hour when a report failed and the day has an hour left; else the next UTC midnight
     * plus {@code delay}.
     */
    static Instant nextRun(Instant now, boolean failed, Duration delay) {
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        if (failed && now.plus(RETRY).isBefore(midnight)) {
            return now.plus(RETRY);
        }
        return midnight.plus(delay);
    }

    private Duration delay() {
        return Duration.ofMillis(random.nextLong(MIN_DELAY.toMillis(), MAX_DELAY.toMillis() + 1));
    }

    private void loop() {
        Instant next = clock.instant().plus(delay());
        while (!closed) {
            try {
                Thread.sleep(Math.max(1, Duration.between(clock.instant(), next).plusMillis(1).toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            if (clock.instant().isBefore(next)) {
                continue;
            }
            boolean failed = false;
            LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
            for (DailyReport report : reports) {
                failed |= runOne(report, yesterday);
            }
            next = nextRun(clock.instant(), failed, delay());
        }
    }

    // one kind's run; true when something is left to send
    private boolean runOne(DailyReport report, LocalDate day) {
        try {
            DailyReport.Summary s = report.send(day);
            if (s.sent() > 0 || s.failed() > 0) {
                log.accept("reports kind=" + report.kind() + " day=" + day + " " + s);
            }
            return s.failed() > 0;
        } catch (RuntimeException e) {
            log.accept("reports kind=" + report.kind() + " day=" + day + " failed reason=\"" + e.getMessage() + "\"");
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
