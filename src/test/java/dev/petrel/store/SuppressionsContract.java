package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.Suppression.Reason;
import dev.petrel.compliance.Suppressions;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of suppression lists does: entries per tenant, stream (or every stream) and address, made
 * stronger and never weaker by a second write, found for a stream by its own entries and those of every stream,
 * listed by pages; and nothing of tenant A returned, changed or removed through tenant B, method by method.
 */
abstract class SuppressionsContract {

    private static final TenantId A = new TenantId("acme");
    private static final TenantId B = new TenantId("bravo");
    private static final Instant T = Instant.ofEpochMilli(1_764_547_200_000L);

    private Stores stores;
    private Suppressions list;

    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        stores = open();
        assertTrue(stores.tenants().add(new Tenant(A, "", T)));
        assertTrue(stores.tenants().add(new Tenant(B, "", T)));
        list = stores.suppressions();
    }

    @AfterEach
    final void closeStore() {
        stores.close();
    }

    private static Suppression entry(TenantId tenant, String stream, String address, Reason reason, long at,
                                     String source) {
        return new Suppression(tenant, stream, address, reason, T.plusMillis(at), source);
    }

    @Test
    void anEntryReadsBackAsItWasWritten() {
        Suppression s = entry(A, null, "gone@remote.test", Reason.HARD_BOUNCE, 5, "41");
        assertEquals(s, list.add(s));
        Suppression news = entry(A, "news", "gone@remote.test", Reason.UNSUBSCRIBE, 6, null);
        assertEquals(news, list.add(news));
        assertEquals(List.of(s, news), list.entries(A, "gone@remote.test"), "the entry of every stream first");
    }

    @Test
    void whatHoldsOnAStreamIsTheEntryOfEveryStreamAndTheStreamsOwn() {
        list.add(entry(A, null, "a@remote.test", Reason.HARD_BOUNCE, 0, "1"));
        list.add(entry(A, "news", "b@remote.test", Reason.UNSUBSCRIBE, 0, "2"));
        List<String> all = List.of("a@remote.test", "b@remote.test", "c@remote.test");
        assertEquals(List.of("a@remote.test *", "b@remote.test news"), held(A, Optional.of("news"), all));
        assertEquals(List.of("a@remote.test *"), held(A, Optional.of("receipts"), all));
        assertEquals(List.of("a@remote.test *"), held(A, Optional.empty(), all), "mail on no stream");
        assertEquals(List.of(), held(A, Optional.of("news"), List.of()));
    }

    private List<String> held(TenantId tenant, Optional<String> stream, List<String> addresses) {
        return list.holding(tenant, stream, addresses).stream()
                .map(s -> s.address() + " " + (s.stream() == null ? "*" : s.stream())).toList();
    }

    @Test
    void manyAddressesAreAskedInOneCall() {
        List<String> addresses = IntStream.range(0, 1234).mapToObj(i -> "r" + i + "@remote.test").toList();
        for (int i : new int[] {0, 499, 500, 1001, 1233}) {
            list.add(entry(A, null, addresses.get(i), Reason.MANUAL, i, null));
        }
        assertEquals(List.of("r0@remote.test *", "r1001@remote.test *", "r1233@remote.test *", "r499@remote.test *",
                "r500@remote.test *"), held(A, Optional.empty(), addresses).stream().sorted().toList());
    }

    @Test
    void aSecondWriteChangesTheEntryOnlyForAStrongerReason() {
        Suppression manual = entry(A, null, "x@remote.test", Reason.MANUAL, 0, null);
        list.add(manual);
        Suppression bounce = entry(A, null, "x@remote.test", Reason.HARD_BOUNCE, 10, "7");
        assertEquals(bounce, list.add(bounce));
        // the same event seen again, and a weaker reason later, leave it as it is
        assertEquals(bounce, list.add(entry(A, null, "x@remote.test", Reason.HARD_BOUNCE, 20, "7")));
        assertEquals(bounce, list.add(entry(A, null, "x@remote.test", Reason.MANUAL, 30, null)));
        Suppression complaint = entry(A, null, "x@remote.test", Reason.COMPLAINT, 40, "9");
        assertEquals(complaint, list.add(complaint));
        assertEquals(complaint, list.add(entry(A, null, "x@remote.test", Reason.UNSUBSCRIBE, 50, "11")));
        assertEquals(List.of(complaint), list.entries(A, "x@remote.test"));
    }

    @Test
    void removingTakesOneEntryOfOneScope() {
        list.add(entry(A, null, "x@remote.test", Reason.HARD_BOUNCE, 0, "1"));
        list.add(entry(A, "news", "x@remote.test", Reason.UNSUBSCRIBE, 0, "2"));
        assertFalse(list.remove(A, Optional.of("receipts"), "x@remote.test"));
        assertTrue(list.remove(A, Optional.empty(), "x@remote.test"));
        assertFalse(list.remove(A, Optional.empty(), "x@remote.test"), "gone already");
        assertEquals(List.of("x@remote.test news"), held(A, Optional.of("news"), List.of("x@remote.test")));
        assertTrue(list.remove(A, Optional.of("news"), "x@remote.test"));
        assertEquals(List.of(), list.entries(A, "x@remote.test"));
    }

    @Test
    void pagesFollowTheAddressesAndStreamsInOrderAndCoverEveryEntry() {
        list.add(entry(A, "news", "c@remote.test", Reason.UNSUBSCRIBE, 0, null));
        list.add(entry(A, null, "a@remote.test", Reason.HARD_BOUNCE, 0, null));
        list.add(entry(A, "news", "a@remote.test", Reason.UNSUBSCRIBE, 0, null));
        list.add(entry(A, "alerts", "a@remote.test", Reason.UNSUBSCRIBE, 0, null));
        list.add(entry(A, null, "b@remote.test", Reason.MANUAL, 0, null));
        List<String> seen = new ArrayList<>();
        Optional<Suppressions.After> after = Optional.empty();
        for (int pages = 0; pages < 10; pages++) {
            List<Suppression> page = list.page(A, Optional.empty(), after, 2);
            page.forEach(s -> seen.add(s.address() + " " + (s.stream() == null ? "*" : s.stream())));
            if (page.size() < 2) {
                break;
            }
            after = Optional.of(new Suppressions.After(page.getLast().address(), page.getLast().stream()));
        }
        assertEquals(List.of("a@remote.test *", "a@remote.test alerts", "a@remote.test news", "b@remote.test *",
                "c@remote.test news"), seen);
        assertEquals(List.of("a@remote.test", "c@remote.test"), list.page(A, Optional.of("news"), Optional.empty(), 10)
                .stream().map(Suppression::address).toList());
    }

    @Test
    void nothingOfOneTenantIsSeenChangedOrRemovedThroughAnother() {
        Suppression a = entry(A, null, "x@remote.test", Reason.COMPLAINT, 0, "3");
        list.add(a);
        list.add(entry(A, "news", "x@remote.test", Reason.UNSUBSCRIBE, 0, "4"));
        assertEquals(List.of(), list.entries(B, "x@remote.test"));
        assertEquals(List.of(), list.holding(B, Optional.of("news"), List.of("x@remote.test")));
        assertEquals(List.of(), list.page(B, Optional.empty(), Optional.empty(), 100));
        assertFalse(list.remove(B, Optional.empty(), "x@remote.test"));
        assertFalse(list.remove(B, Optional.of("news"), "x@remote.test"));
        // B's own entry of the same address is B's alone, and leaves A's as it was
        Suppression b = entry(B, null, "x@remote.test", Reason.MANUAL, 9, null);
        assertEquals(b, list.add(b));
        assertEquals(List.of(a), list.holding(A, Optional.empty(), List.of("x@remote.test")));
        assertEquals(List.of(b), list.entries(B, "x@remote.test"));
    }

    @Test
    void aRemovedTenantTakesItsListWithIt() {
        list.add(entry(B, null, "x@remote.test", Reason.MANUAL, 0, null));
        assertTrue(stores.tenants().remove(B));
        assertTrue(stores.tenants().add(new Tenant(B, "", T)));
        assertEquals(List.of(), list.entries(B, "x@remote.test"), "a new tenant of the old name starts empty");
    }
}
