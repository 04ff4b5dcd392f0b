package dev.petrel.store;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.Suppressions;
import dev.petrel.mail.TenantId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The suppressions as the running server reads them before each message: a tenant whose list is empty is answered
 * without a query. Whether a tenant's list is empty is read from the store at most once per {@code refresh} (one
 * indexed row), and an entry written through this object (the server's suppression writer, the APIs) marks its
 * tenant as having entries before it is written, so that entry holds from the moment it is written; one written by
 * another process (the command line, another node) holds within {@code refresh}, as accounts and limits changed
 * elsewhere do. A tenant with entries is asked of the store each time, so its answers are always the store's.
 */
public final class CachedSuppressions implements Suppressions {

    /** How often a tenant's list known to be empty is looked at again. */
    public static final Duration REFRESH = Duration.ofSeconds(1);

    // what was last known of a tenant's list; compared by identity, so that a look made before a write cannot
    // replace the mark the write left
    private static final class Known {
        final boolean empty;
        final long readAt;

        Known(boolean empty, long readAt) {
            this.empty = empty;
            this.readAt = readAt;
        }
    }

    private final Suppressions store;
    private final long refreshNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<TenantId, Known> known = new ConcurrentHashMap<>();

    public CachedSuppressions(Suppressions store) {
        this(store, REFRESH, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}) */
    CachedSuppressions(Suppressions store, Duration refresh, LongSupplier nanoTime) {
        this.store = store;
        this.refreshNanos = refresh.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Suppression add(Suppression suppression) {
        // before the write: a check that starts once the write is done finds the tenant's list not empty
        known.put(suppression.tenant(), new Known(false, nanoTime.getAsLong()));
        return store.add(suppression);
    }

    @Override
    public List<Suppression> entries(TenantId tenant, String address) {
        return store.entries(tenant, address);
    }

    @Override
    public List<Suppression> holding(TenantId tenant, Optional<String> stream, Collection<String> addresses) {
        if (addresses.isEmpty() || isEmpty(tenant)) {
            return List.of();
        }
        return store.holding(tenant, stream, addresses);
    }

    @Override
    public boolean remove(TenantId tenant, Optional<String> stream, String address) {
        // the list may be empty now: the next look finds out
        return store.remove(tenant, stream, address);
    }

    @Override
    public List<Suppression> page(TenantId tenant, Optional<String> stream, Optional<After> after, int limit) {
        return store.page(tenant, stream, after, limit);
    }

    // whether the tenant's list is empty, as last read if that was less than `refresh` ago
    private boolean isEmpty(TenantId tenant) {
        long now = nanoTime.getAsLong();
        Known before = known.get(tenant);
        if (before != null && now - before.readAt < refreshNanos) {
            return before.empty;
        }
        Known read = new Known(store.page(tenant, Optional.empty(), Optional.empty(), 1).isEmpty(), now);
        // a write here since `before` left its own mark, which stays
        boolean kept = before == null ? known.putIfAbsent(tenant, read) == null : known.replace(tenant, before, read);
        return kept ? read.empty : false;
    }
}
