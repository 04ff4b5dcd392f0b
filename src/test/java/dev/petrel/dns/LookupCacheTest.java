package dev.petrel.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LookupCacheTest {

    private final MutableClock clock = new MutableClock();

    private static LookupCache.Key key(String name) {
        return new LookupCache.Key(name, 1);
    }

    private static Lookup<String> found() {
        return new Lookup.Found<>(List.of("x"), Duration.ofSeconds(100));
    }

    @Test
    void theLeastRecentlyUsedEntryLeavesWhenFull() {
        LookupCache cache = new LookupCache(2, Duration.ofHours(1), clock);
        cache.put(key("a"), found(), Duration.ofSeconds(100));
        cache.put(key("b"), found(), Duration.ofSeconds(100));
        cache.get(key("a"));
        cache.put(key("c"), found(), Duration.ofSeconds(100));
        assertEquals(2, cache.size());
        assertTrue(cache.get(key("a")).isPresent());
        assertTrue(cache.get(key("b")).isEmpty());
    }

    @Test
    void aTtlIsCappedAtTheMaximum() {
        LookupCache cache = new LookupCache(10, Duration.ofSeconds(50), clock);
        cache.put(key("a"), found(), Duration.ofDays(1));
        clock.advance(Duration.ofSeconds(50));
        assertTrue(cache.get(key("a")).isEmpty());
    }

    @Test
    void aZeroTtlOrAZeroSizeCachesNothing() {
        LookupCache cache = new LookupCache(10, Duration.ofHours(1), clock);
        cache.put(key("a"), found(), Duration.ZERO);
        assertEquals(0, cache.size());
        LookupCache none = new LookupCache(0, Duration.ofHours(1), clock);
        none.put(key("a"), found(), Duration.ofSeconds(10));
        assertEquals(0, none.size());
    }
}
