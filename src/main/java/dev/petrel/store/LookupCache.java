package dev.petrel.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Answers read from the database, kept for a short time: the SMTP server asks who a recipient is several times per
 * message, and a change made by the command line shows within {@code ttl} (as the file store's once-a-second
 * re-read did). Bounded: past {@code maxEntries} it starts again empty.
 */
final class LookupCache<K, V> {

    private record Entry<V>(V value, long expires) {}

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    LookupCache(long ttlNanos, int maxEntries, LongSupplier nanoTime) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    V get(K key, Function<K, V> load) {
        long now = nanoTime.getAsLong();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.expires() < 0) {
            return e.value();
        }
        V value = load.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now + ttlNanos));
        return value;
    }

    /** Forgets everything: after a write here, or when told to reload. */
    void clear() {
        entries.clear();
    }
}
