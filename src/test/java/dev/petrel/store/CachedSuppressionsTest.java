package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.Suppression.Reason;
import dev.petrel.compliance.Suppressions;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's view of the suppression lists: a tenant whose list is empty costs no query per message, an entry
 * written through the view holds at once, one written by another process (a second store on the same file, as the
 * command line opens) within the refresh, and a tenant with entries is always answered by the store.
 */
class CachedSuppressionsTest {

    private static final TenantId A = new TenantId("acme");
    private static final TenantId B = new TenantId("bravo");
    private static final Instant T = Instant.ofEpochMilli(1_764_547_200_000L);
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final List<String> TO = List.of("gone@remote.test", "here@remote.test");

    @TempDir
    Path dir;

    private Stores server;
    private Stores commandLine;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger holdingQueries = new AtomicInteger();
    private final AtomicInteger pageQueries = new AtomicInteger();
    private Suppressions view;

    @BeforeEach
    void open() throws Exception {
        server = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        commandLine = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        assertTrue(server.tenants().add(new Tenant(A, "", T)));
        assertTrue(server.tenants().add(new Tenant(B, "", T)));
        view = new CachedSuppressions(counting(server.suppressions(), null), REFRESH, now::get);
    }

    @AfterEach
    void close() {
        server.close();
        commandLine.close();
    }

    private static Suppression entry(TenantId tenant, String address) {
        return new Suppression(tenant, null, address, Reason.HARD_BOUNCE, T, "7");
    }

    private List<String> held(TenantId tenant) {
        return view.holding(tenant, Optional.empty(), TO).stream().map(Suppression::address).toList();
    }

    @Test
    void aTenantWithoutEntriesIsAnsweredWithoutAQueryForASecond() {
        assertEquals(List.of(), held(A));
        assertEquals(List.of(), held(A));
        now.addAndGet(REFRESH.toNanos() - 1);
        assertEquals(List.of(), held(A));
        assertEquals(0, holdingQueries.get(), "no query for the recipients");
        assertEquals(1, pageQueries.get(), "one look at whether the list is empty");
        now.addAndGet(1);
        assertEquals(List.of(), held(A));
        assertEquals(2, pageQueries.get(), "looked at again after the refresh");
    }

    @Test
    void anEntryWrittenThroughTheViewHoldsAtOnce() {
        assertEquals(List.of(), held(A));
        view.add(entry(A, "gone@remote.test"));
        assertEquals(List.of("gone@remote.test"), held(A), "in the same instant as the write");
        assertEquals(List.of(), held(B), "another tenant's list stays empty");
    }

    @Test
    void anEntryWrittenByAnotherProcessHoldsWithinTheRefresh() {
        assertEquals(List.of(), held(A));
        commandLine.suppressions().add(entry(A, "gone@remote.test"));
        now.addAndGet(REFRESH.toNanos());
        assertEquals(List.of("gone@remote.test"), held(A));
    }

    @Test
    void aTenantWithEntriesIsAskedOfTheStoreEachTime() {
        view.add(entry(A, "gone@remote.test"));
        assertEquals(List.of("gone@remote.test"), held(A));
        commandLine.suppressions().add(entry(A, "here@remote.test"));
        assertEquals(List.of("gone@remote.test", "here@remote.test"), held(A), "no refresh needed");
        commandLine.suppressions().remove(A, Optional.empty(), "gone@remote.test");
        assertEquals(List.of("here@remote.test"), held(A), "a removal shows at once too");
        assertEquals(3, holdingQueries.get());
    }

    @Test
    void aLookAtTheListMadeBeforeAWriteDoesNotHideTheWrite() {
        // the writer adds its entry while a check is reading whether the list is empty (and finds it empty)
        view = new CachedSuppressions(counting(server.suppressions(), () -> view.add(entry(A, "gone@remote.test"))),
                REFRESH, now::get);
        assertEquals(List.of("gone@remote.test"), held(A), "its look is not kept: it asks the store");
        assertEquals(List.of("gone@remote.test"), held(A), "the next check, within the refresh, finds the entry");
        assertEquals(1, pageQueries.get());
    }

    // the store, counting its queries; `duringLook` runs once, after the first look at whether a list is empty
    private Suppressions counting(Suppressions store, Runnable duringLook) {
        return new Suppressions() {
            private Runnable pending = duringLook;

            @Override
            public Suppression add(Suppression s) {
                return store.add(s);
            }

            @Override
            public List<Suppression> entries(TenantId tenant, String address) {
                return store.entries(tenant, address);
            }

            @Override
            public List<Suppression> holding(TenantId tenant, Optional<String> stream, Collection<String> addresses) {
                holdingQueries.incrementAndGet();
                return store.holding(tenant, stream, addresses);
            }

            @Override
            public boolean remove(TenantId tenant, Optional<String> stream, String address) {
                return store.remove(tenant, stream, address);
            }

            @Override
            public List<Suppression> page(TenantId tenant, Optional<String> stream, Optional<After> after, int limit) {
                pageQueries.incrementAndGet();
                List<Suppression> found = store.page(tenant, stream, after, limit);
                if (pending != null) {
                    Runnable r = pending;
                    pending = null;
                    r.run();
                }
                return found;
            }
        };
    }
}
