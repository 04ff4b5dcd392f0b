package dev.petrel.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded cache of look-up outcomes, each kept for its TTL (RFC 1035 3.2.1) and at most {@code maxTtl}; the
 * least recently used entry leaves first when the cache is full. A hit on found records reports the TTL that
 * remains. Safe for concurrent use.
 */
final class LookupCache {

    record Key(String name, int type) {}

    private record Cached(Lookup<?> outcome, Instant expires) {}

    private final int capacity;
    private final Duration maxTtl;
    private final Clock clock;
    private final Map<Key, Cached> entries;

    LookupCache(int capacity, Duration maxTtl, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative cache size: " + capacity);
        }
        this.capacity = capacity;
        this.maxTtl = maxTtl;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > LookupCache.this.capacity;
            }
        };
    }

    /** Keeps {@code outcome} for {@code ttl}; a zero TTL is not cached at all (RFC 1035 3.2.1). */
    synchronized void put(Key key, Lookup<?> outcome, Duration ttl) {
        Duration kept = ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
        if (capacity == 0 || kept.isZero() || kept.isNegative()) {
            return;
        }
        entries.put(key, new Cached(outcome, clock.instant().plus(kept)));
    }

    @SuppressWarnings("unchecked")
    synchronized <T> Optional<Lookup<T>> get(Key key) {
        Cached entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(entry.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        Lookup<T> outcome = (Lookup<T>) entry.outcome();
        if (outcome instanceof Lookup.Found<T> found) {
            // TTLs are whole seconds
            Duration left = Duration.ofSeconds(Duration.between(now, entry.expires()).toSeconds());
            return Optional.of(new Lookup.Found<>(found.records(), left, found.secure()));
        }
        return Optional.of(outcome);
    }

    synchronized int size() {
        return entries.size();
    }
}
