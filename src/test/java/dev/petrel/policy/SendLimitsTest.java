package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.account.Directory;
import dev.petrel.mail.TenantId;
import dev.petrel.store.StoreException;
import dev.petrel.store.Stores;
import dev.petrel.tenant.SendCounts;
import dev.petrel.tenant.SharedRates;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.testing.HandClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rates and daily quotas of tenants and streams, decided once per request against a real store, with the wall clock
 * and the monotonic clock moved by hand.
 */
class SendLimitsTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId BRAVO = new TenantId("bravo");
    private static final Optional<String> NONE = Optional.empty();
    private static final Optional<String> NEWS = Optional.of("news");
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Stores stores;
    private Tenancy tenancy;
    private SendLimits limits;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        Directory directory = new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(),
                null, stores.adminTokens(), clock, new SecureRandom());
        tenancy = new Tenancy(stores.tenants(), stores.streams(), stores.apiKeys(), directory, clock,
                new SecureRandom());
        tenancy.addTenant(ACME);
        tenancy.addTenant(BRAVO);
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.addStream(BRAVO, "news", Stream.Kind.BROADCAST, null, null);
        limits = limits(stores.sendCounts());
    }

    private SendLimits limits(SendCounts counts) {
        return new SendLimits(tenancy, counts, clock, nanos::get, registry);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private SendLimits.Admission.Refused refused(SendLimits.Admission admission) {
        return assertInstanceOf(SendLimits.Admission.Refused.class, admission);
    }

    private void admitted(TenantId tenant, Optional<String> stream, int times) {
        for (int i = 0; i < times; i++) {
            assertEquals(SendLimits.ADMITTED, limits.admit(tenant, stream, 1), tenant + " " + stream + " #" + (i + 1));
        }
    }

    private long stored(TenantId tenant, String stream) {
        return stores.sendCounts().count(tenant, stream, LocalDate.of(2026, 11, 28));
    }

    @Test
    void withoutLimitsEverythingGoesAndIsStillCounted() {
        admitted(ACME, NONE, 50);
        admitted(ACME, NEWS, 7);
        limits.flush();
        assertEquals(57, stored(ACME, null));
        assertEquals(7, stored(ACME, "news"));
        assertEquals(0, stored(BRAVO, null));
    }

    @Test
    void overItsRateATenantWaitsForTheNextToken() {
        tenancy.setLimits(ACME, 2L, null);
        admitted(ACME, NONE, 2);
        SendLimits.Admission.Refused r = refused(limits.admit(ACME, NONE, 1));
        assertEquals(SendLimits.Limit.RATE, r.limit());
        assertEquals(Duration.ofMillis(500), r.retryAfter());
        assertEquals(1, r.retryAfterSeconds());
        assertEquals("451 4.7.1 Rate limit reached: tenant acme may send 2 messages a second; try again in 1 s",
                r.reply().summary());
        nanos.addAndGet(SECOND / 2);
        admitted(ACME, NONE, 1);
        assertEquals(1, registry.get("petrel.tenant.limited").tags("tenant", "acme", "stream", "", "limit", "rate")
                .counter().count());
    }

    @Test
    void overItsQuotaATenantWaitsForTheNextUtcDay() {
        tenancy.setLimits(ACME, null, 3L);
        admitted(ACME, NONE, 3);
        SendLimits.Admission.Refused r = refused(limits.admit(ACME, NONE, 1));
        assertEquals(SendLimits.Limit.QUOTA, r.limit());
        assertEquals(Duration.ofHours(12), r.retryAfter(), "the hand clock stands at noon UTC");
        assertEquals(43_200, r.retryAfterSeconds());
        assertEquals("451 4.7.1 Daily quota reached: tenant acme may send 3 messages a day (UTC); try again after"
                + " 2026-11-29T00:00:00Z", r.reply().summary());
        clock.advance(Duration.ofHours(12));
        admitted(ACME, NONE, 3);
        refused(limits.admit(ACME, NONE, 1));
    }

    @Test
    void aStreamsLimitsApplyOnTopOfItsTenantsAndNameTheStream() {
        tenancy.setLimits(ACME, NEWS.get(), 1L, null);
        admitted(ACME, NEWS, 1);
        SendLimits.Admission.Refused r = refused(limits.admit(ACME, NEWS, 1));
        assertEquals("451 4.7.1 Rate limit reached: stream news of tenant acme may send 1 message a second; try again"
                + " in 1 s", r.reply().summary());
        admitted(ACME, NONE, 5);
        assertEquals(1, registry.get("petrel.tenant.limited").tags("stream", "news", "limit", "rate").counter().count());
    }

    @Test
    void aRefusedRequestCountsNowhere() {
        tenancy.setLimits(ACME, null, 5L);
        tenancy.setLimits(ACME, NEWS.get(), 1L, null);
        admitted(ACME, NEWS, 1);
        refused(limits.admit(ACME, NEWS, 1));
        refused(limits.admit(ACME, NEWS, 3));
        admitted(ACME, NONE, 4);
        assertEquals(SendLimits.Limit.QUOTA, refused(limits.admit(ACME, NONE, 1)).limit(), "1 + 4 of 5");
    }

    @Test
    void aBatchIsLetThroughWholeOrNotAtAll() {
        tenancy.setLimits(ACME, 2L, 10L);
        assertEquals(SendLimits.ADMITTED, limits.admit(ACME, NONE, 6), "more than the bucket holds: it was full");
        SendLimits.Admission.Refused owed = refused(limits.admit(ACME, NONE, 1));
        assertEquals(Duration.ofMillis(2500), owed.retryAfter(), "4 owed and 1 wanted at 2 a second");
        nanos.addAndGet(10 * SECOND);
        SendLimits.Admission.Refused quota = refused(limits.admit(ACME, NONE, 5));
        assertEquals(SendLimits.Limit.QUOTA, quota.limit(), "6 + 5 is over 10");
        assertEquals(SendLimits.ADMITTED, limits.admit(ACME, NONE, 2));
        assertThrows(IllegalArgumentException.class, () -> limits.admit(ACME, NONE, 0));
    }

    @Test
    void oneTenantsLimitsNeverTouchAnother() {
        tenancy.setLimits(ACME, 1L, 1L);
        tenancy.setLimits(ACME, NEWS.get(), 1L, 1L);
        admitted(ACME, NEWS, 1);
        refused(limits.admit(ACME, NONE, 1));
        admitted(BRAVO, NONE, 20);
        admitted(BRAVO, NEWS, 20);
        limits.flush();
        assertEquals(1, stored(ACME, null));
        assertEquals(40, stored(BRAVO, null));
        assertEquals(20, stored(BRAVO, "news"));
    }

    @Test
    void aChangedLimitShowsWithinTheRefreshInterval() {
        admitted(ACME, NONE, 3);
        tenancy.setLimits(ACME, 1L, null);
        admitted(ACME, NONE, 2);
        nanos.addAndGet(SendLimits.REFRESH.toNanos());
        admitted(ACME, NONE, 1);
        refused(limits.admit(ACME, NONE, 1));
        tenancy.setLimits(ACME, 0L, null);
        nanos.addAndGet(SendLimits.REFRESH.toNanos());
        admitted(ACME, NONE, 10);
    }

    @Test
    void theDaysCountSurvivesARestartOnceFlushed() {
        tenancy.setLimits(ACME, null, 3L);
        admitted(ACME, NONE, 2);
        limits.flush();
        SendLimits restarted = limits(stores.sendCounts());
        assertEquals(SendLimits.ADMITTED, restarted.admit(ACME, NONE, 1));
        assertEquals(SendLimits.Limit.QUOTA, refused(restarted.admit(ACME, NONE, 1)).limit());
    }

    @Test
    void countsOfADayThatEndedBeforeTheirFlushGoToThatDay() {
        clock.now = java.time.Instant.parse("2026-11-28T23:59:59Z");
        admitted(ACME, NEWS, 2);
        clock.advance(Duration.ofSeconds(2));
        admitted(ACME, NEWS, 1);
        limits.flush();
        assertEquals(2, stored(ACME, "news"));
        assertEquals(1, stores.sendCounts().count(ACME, "news", LocalDate.of(2026, 11, 29)));
        assertEquals(1, stores.sendCounts().count(ACME, null, LocalDate.of(2026, 11, 29)));
    }

    @Test
    void aFailedFlushKeepsItsCountsForTheNext() {
        FailingCounts failing = new FailingCounts(stores.sendCounts());
        limits = limits(failing);
        admitted(ACME, NONE, 2);
        failing.fail = true;
        assertThrows(StoreException.class, limits::flush);
        admitted(ACME, NONE, 1);
        failing.fail = false;
        limits.flush();
        assertEquals(3, stored(ACME, null));
        limits.flush();
        assertEquals(3, stored(ACME, null), "nothing is written twice");
    }

    @Test
    void sessionsAtOnceNeverGoBeyondAQuota() throws Exception {
        tenancy.setLimits(ACME, null, 250L);
        AtomicInteger admitted = new AtomicInteger();
        List<Thread> sessions = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            sessions.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    if (limits.admit(ACME, i % 2 == 0 ? NONE : NEWS, 1) == SendLimits.ADMITTED) {
                        admitted.incrementAndGet();
                    }
                    if (i % 25 == 0) {
                        limits.flush();
                    }
                }
            }));
        }
        for (Thread t : sessions) {
            t.join(30_000);
        }
        limits.flush();
        assertEquals(250, admitted.get());
        assertEquals(250, stored(ACME, null));
    }

    /** The store, failing while told to (a database that went away). */
    private static final class FailingCounts implements SendCounts {
        private final SendCounts store;
        volatile boolean fail;

        FailingCounts(SendCounts store) {
            this.store = store;
        }

        @Override
        public List<Count> add(TenantId tenant, LocalDate day, List<Count> added) {
            if (fail) {
                throw new StoreException("the store is away", null);
            }
            return store.add(tenant, day, added);
        }

        @Override
        public long count(TenantId tenant, String stream, LocalDate day) {
            return store.count(tenant, stream, day);
        }
    }

    /** A shared bucket for a unit test: {@code tokens} in it, each take noted. */
    private static final class CountedRates implements SharedRates {
        long tokens;
        final List<String> takes = new ArrayList<>();

        @Override
        public synchronized Grant take(TenantId tenant, String stream, long rate, long need, long want) {
            takes.add(tenant + " " + stream + " rate=" + rate + " need=" + need + " want=" + want);
            long granted = tokens >= need ? Math.min(want, tokens) : 0;
            tokens -= granted;
            return new Grant(granted, tokens);
        }
    }

    @Test
    void onASharedStoreTheRateIsTakenFromItsBucketAChunkAtATimeNotPerMessage() {
        CountedRates shared = new CountedRates();
        shared.tokens = 25;
        SendLimits node = new SendLimits(tenancy, stores.sendCounts(), shared, clock, nanos::get, registry);
        tenancy.setLimits(ACME, 100L, null);
        admitted(node, 25);
        assertEquals(List.of("acme null rate=100 need=1 want=10", "acme null rate=100 need=1 want=10",
                "acme null rate=100 need=1 want=10"), shared.takes, "three chunks of a tenth of a second's worth");
        SendLimits.Admission.Refused over = refused(node.admit(ACME, Optional.empty(), 1));
        assertEquals(SendLimits.Limit.RATE, over.limit());
        // the store's bucket had none left: a whole token at 100 a second is 10 ms away
        assertEquals(Duration.ofMillis(10), over.retryAfter());
        assertEquals("451 4.7.1 Rate limit reached: tenant acme may send 100 messages a second; try again in 1 s",
                over.reply().summary());
        shared.tokens = 50;
        assertInstanceOf(SendLimits.Admission.Admitted.class, node.admit(ACME, Optional.empty(), 30),
                "a request larger than a chunk takes what it needs at once");
        assertEquals("acme null rate=100 need=30 want=30", shared.takes.getLast());
        assertInstanceOf(SendLimits.Admission.Admitted.class, node.admit(BRAVO, Optional.empty(), 1),
                "no rate, no take");
        assertEquals(5, shared.takes.size());
    }

    private static void admitted(SendLimits node, int times) {
        for (int i = 0; i < times; i++) {
            assertInstanceOf(SendLimits.Admission.Admitted.class, node.admit(ACME, Optional.empty(), 1), "message " + i);
        }
    }
}
