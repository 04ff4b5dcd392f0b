package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FeedLagTest {

    private final AtomicLong last = new AtomicLong();
    private final Map<String, Long> saved = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final EventFeed feed = new EventFeed() {
        @Override
        public List<Entry> read(long after, int max) {
            return List.of();
        }

        @Override
        public long last() {
            return last.get();
        }

        @Override
        public boolean await(long cursor, Duration timeout) {
            return false;
        }

        @Override
        public void append(MailEvent event) {
        }
    };

    private final Cursors cursors = new Cursors() {
        @Override
        public long load(String reader) {
            return saved.getOrDefault(reader, 0L);
        }

        @Override
        public void save(String reader, long cursor) {
            saved.put(reader, cursor);
        }

        @Override
        public Map<String, Long> known() {
            return Map.copyOf(saved);
        }
    };

    private double lag(String consumer) {
        return registry.get("petrel.event.feed.lag").tag("consumer", consumer).gauge().value();
    }

    @Test
    void eachConsumerLagsByTheEventsAfterItsCursor() {
        FeedLag lag = new FeedLag(feed, cursors, registry);
        AtomicLong live = new AtomicLong(40);
        lag.follow("metrics", live::get);
        saved.put("log", 90L);
        last.set(100);
        lag.refresh();
        assertEquals(10, lag("log"));
        assertEquals(60, lag("metrics"));
        // a consumer that appears later (a webhook reader) shows up at the next refresh
        saved.put("webhooks", 100L);
        live.set(100);
        lag.refresh();
        assertEquals(0, lag("webhooks"));
        assertEquals(0, lag("metrics"));
    }
}
