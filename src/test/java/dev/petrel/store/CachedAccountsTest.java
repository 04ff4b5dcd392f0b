package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.mail.Domain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's look-ups are answered from a short cache over the SQL store; writes and SIGHUP forget it. */
class CachedAccountsTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();

    @Test
    void aChangeByAnotherProcessShowsOnceTheCachedAnswerHasExpired() throws Exception {
        try (Stores stores = Stores.open(Stores.EMBEDDED, dir, List.of(Domain.parse("localhost")), line -> { })) {
            CachedAccounts cached = new CachedAccounts(stores.users(), stores.domains(), stores.aliases(),
                    stores.dkimKeys(), Duration.ofSeconds(1), now::get);
            Domains domains = cached.domains();
            Domain example = Domain.parse("example.org");
            assertFalse(domains.isLocal(example));
            // the command line adds it, through the store itself
            stores.domains().add(new DomainEntry(example, true));
            assertFalse(domains.isLocal(example), "the cached answer holds for up to a second");
            now.addAndGet(Duration.ofMillis(1001).toNanos());
            assertTrue(domains.isLocal(example), "then the store is asked again");
            stores.domains().setLocal(example, false);
            cached.clear();
            assertFalse(domains.isLocal(example), "a reload forgets at once");
            domains.setLocal(example, true);
            assertTrue(domains.isLocal(example), "a write through the cache forgets what it held");
        }
    }

    @Test
    void aFullCacheStartsAgainRatherThanGrowing() {
        LookupCache<Integer, Integer> cache = new LookupCache<>(Duration.ofHours(1).toNanos(), 3, now::get);
        AtomicLong loads = new AtomicLong();
        for (int i = 0; i < 10; i++) {
            cache.get(i, k -> (int) loads.incrementAndGet());
        }
        assertEquals(10, loads.get());
        cache.get(9, k -> (int) loads.incrementAndGet());
        assertEquals(10, loads.get(), "the newest is still there");
    }
}
