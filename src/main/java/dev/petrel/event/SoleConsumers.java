package dev.petrel.event;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The consumers of the {@link EventFeed} that run in one process at a time ({@link SoleConsumer}), each shown by the
 * gauge {@code petrel_feed_consumer_active{consumer="NAME"}}: 1 while this process runs it.
 */
public final class SoleConsumers {

    private final ConsumerLocks locks;
    private final MeterRegistry registry;
    private final List<SoleConsumer<?>> consumers = new CopyOnWriteArrayList<>();

    public SoleConsumers(ConsumerLocks locks, MeterRegistry registry) {
        this.locks = locks;
        this.registry = registry;
    }

    /** Runs the named consumer whenever this process holds its lock. */
    public <T extends FeedConsumer> SoleConsumer<T> start(String name, SoleConsumer.Start<T> start)
            throws IOException {
        SoleConsumer<T> consumer = SoleConsumer.start(name, locks, start);
        consumers.add(consumer);
        Gauge.builder("petrel.feed.consumer.active", consumer, c -> c.active() ? 1 : 0)
                .description("1 while this process runs the consumer of the event feed (one process at a time does)")
                .tag("consumer", name).register(registry);
        return consumer;
    }

    /** A reader of the feed in order ({@link FeedReader}) run so. */
    public SoleConsumer<FeedReader> reader(String name, EventFeed feed, FeedReader.Batches batches,
                                           Duration saveEvery) throws IOException {
        return start(name, cursors -> FeedReader.start(name, feed, cursors, batches, saveEvery));
    }

    /** As {@link #reader(String, EventFeed, FeedReader.Batches, Duration)}, an event at a time. */
    public SoleConsumer<FeedReader> reader(String name, EventFeed feed, EventSink sink, Duration saveEvery)
            throws IOException {
        return start(name, cursors -> FeedReader.start(name, feed, cursors, sink, saveEvery));
    }

    /** The names of the consumers this process runs now. */
    public List<String> active() {
        return consumers.stream().filter(SoleConsumer::active).map(SoleConsumer::name).toList();
    }
}
