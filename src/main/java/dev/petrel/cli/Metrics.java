package dev.petrel.cli;

import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.EventMetrics;
import dev.petrel.event.FeedLag;
import dev.petrel.event.FeedReader;
import dev.petrel.queue.QueueView;
import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The server's Prometheus registry and what fills it: the JVM's meters, the event feed's (read by a reader of its
 * own), the feed's lag per consumer and the queue's depth, computed when scraped. The parts that count where
 * things happen (listeners, journal, site throttles) are handed {@link #registry()} as they are built.
 */
final class Metrics implements AutoCloseable {

    /** How old the queue snapshot that a scrape shows may be: listing a large queue on every scrape costs. */
    static final Duration QUEUE_SNAPSHOT_AGE = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final EventMetrics events = new EventMetrics(registry);
    private FeedLag lag;
    private QueueGauges queue;
    private FeedReader reader;

    Metrics() {
        followPrometheusLint();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Two of Micrometer's process meters break promtool's lint: {@code process_cpu_time_ns_total} (an abbreviated
     * unit, in nanoseconds) is replaced by {@code process_cpu_seconds_total}, as Prometheus' own clients name it,
     * and {@code system_cpu_count} (a gauge that looks like a histogram's count) becomes {@code system_cpus}.
     */
    private void followPrometheusLint() {
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("CPU time the process used").baseUnit("seconds").register(registry);
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The counters of events; the webhook dispatcher records its deliveries here. */
    EventMetrics events() {
        return events;
    }

    /**
     * Starts reading the feed from its newest event (the counters count from this start, as a process's do), and
     * shows the queue's depth and the feed's lag. The reader keeps no saved cursor: it holds nothing in the journal.
     */
    void watch(EventFeed feed, Cursors cursors, QueueView view, Clock clock) throws IOException {
        reader = FeedReader.start("metrics", feed, new Unsaved(feed.last()), events, Duration.ofSeconds(1));
        lag = new FeedLag(feed, cursors, registry);
        lag.follow("metrics", reader::cursor);
        queue = new QueueGauges(view, clock, QUEUE_SNAPSHOT_AGE, registry);
    }

    /** Every meter in the Prometheus text format, the gauges computed now. */
    String scrape() {
        try {
            if (queue != null) {
                queue.refresh();
                lag.refresh();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the queue for its gauges", e);
        }
        return registry.scrape();
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
        gc.close();
        registry.close();
    }

    /** A cursor kept in memory only, starting at the feed's newest event. */
    private static final class Unsaved implements Cursors {
        private final Map<String, Long> start;

        Unsaved(long last) {
            this.start = Map.of("metrics", last);
        }

        @Override
        public long load(String reader) {
            return start.getOrDefault(reader, 0L);
        }

        @Override
        public void save(String reader, long cursor) {
            // the counters start again with the process: nothing to keep
        }
    }
}
