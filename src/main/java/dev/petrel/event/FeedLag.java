package dev.petrel.event;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How far each reader of the {@link EventFeed} is behind its newest event: the saved cursors of {@link Cursors}
 * ({@code queue/cursors/NAME}), which any reader that saves one shows up among by itself, and the live cursors of
 * readers that keep none (the metrics' own). Computed when {@link #refresh} is called, before each scrape.
 */
public final class FeedLag {

    private final EventFeed feed;
    private final Cursors cursors;
    private final MultiGauge lag;
    private final Map<String, LongSupplier> live = new ConcurrentHashMap<>();

    public FeedLag(EventFeed feed, Cursors cursors, MeterRegistry registry) {
        this.feed = feed;
        this.cursors = cursors;
        this.lag = MultiGauge.builder("petrel.event.feed.lag")
                .description("Events written to the feed that a consumer has not handled yet (by its saved cursor)")
                .baseUnit("events").register(registry);
    }

    /** Also shows a reader that saves no cursor, by its cursor in memory. */
    public void follow(String consumer, LongSupplier cursor) {
        live.put(consumer, cursor);
    }

    /** Reads the cursors now. */
    public void refresh() {
        long last = feed.last();
        Map<String, Long> at = new TreeMap<>(cursors.known());
        live.forEach((name, cursor) -> at.put(name, cursor.getAsLong()));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        // a cursor of 0 or one from before a compaction still counts only the events the feed holds after it
        at.forEach((name, cursor) -> rows.add(MultiGauge.Row.of(Tags.of("consumer", name), Math.max(0, last - cursor))));
        lag.register(rows, true);
    }
}
