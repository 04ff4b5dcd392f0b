package dev.petrel.cli;

import dev.petrel.policy.SendLimits;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Tenancy;
import dev.petrel.web.Admission;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The send limits of a running server and the thread that writes their day's counts to the store every
 * {@link #FLUSH} ({@link #SHARED_FLUSH} on a store shared with other nodes). Closed after the listeners and
 * before the store: the last counts are written then.
 */
final class LimitsWiring implements AutoCloseable {

    /** How often the counts of the day are added to the store: what a crash may lose of them. */
    static final Duration FLUSH = Duration.ofSeconds(1);

    /**
     * As {@link #FLUSH} on a store other nodes share (PostgreSQL): each node learns the others' counts only when it
     * writes its own, so a quota may be passed by what the others admitted in about two of these; a write a
     * quarter of a second costs little beside the messages it counts.
     */
    static final Duration SHARED_FLUSH = Duration.ofMillis(250);

    private final SendLimits limits;
    private final ScheduledExecutorService writer;
    private final Consumer<String> problems;
    private final Duration every;

    private LimitsWiring(SendLimits limits, ScheduledExecutorService writer, Consumer<String> problems,
                         Duration every) {
        this.every = every;
        this.limits = limits;
        this.writer = writer;
        this.problems = problems;
    }

    /** @param problems where a failed write is told (it is tried again at the next flush) */
    static LimitsWiring start(Stores stores, Tenancy tenancy, Clock clock, MeterRegistry registry,
                              Consumer<String> problems) {
        SendLimits limits = new SendLimits(tenancy, stores.sendCounts(), stores.sharedRates().orElse(null), clock,
                System::nanoTime, registry);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("petrel-send-counts").daemon(true).factory());
        Duration every = stores.sharedRates().isPresent() ? SHARED_FLUSH : FLUSH;
        LimitsWiring wiring = new LimitsWiring(limits, writer, problems, every);
        writer.scheduleWithFixedDelay(wiring::flush, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return wiring;
    }

    SendLimits limits() {
        return limits;
    }

    /**
     * The send API's admission step: one decision per message, against its tenant's limits and its stream's, as
     * SMTP has at RCPT; over either, the whole message waits (the API answers 429 with Retry-After).
     */
    Admission admission() {
        return (key, context, recipients) -> switch (limits.admit(key.tenant(),
                Optional.ofNullable(context.stream()), 1)) {
            case SendLimits.Admission.Admitted a -> new Admission.Verdict.Admitted(Map.of());
            // whole seconds rounded up, as the SMTP answer says them: a client that waits that long gets through
            case SendLimits.Admission.Refused r -> new Admission.Verdict.Limited(r.message(),
                    Duration.ofSeconds(r.retryAfterSeconds()));
        };
    }

    private void flush() {
        try {
            limits.flush();
        } catch (RuntimeException e) {
            String again = every.toMillis() % 1000 == 0 ? every.toSeconds() + "s" : every.toMillis() + "ms";
            problems.accept("send counts not written, tried again in " + again + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
