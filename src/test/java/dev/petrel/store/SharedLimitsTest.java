package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.delivery.Lane;
import dev.petrel.delivery.SiteRates;
import dev.petrel.delivery.SiteSlots;
import dev.petrel.delivery.SiteThrottle;
import dev.petrel.dns.Site;
import dev.petrel.mail.TenantId;
import dev.petrel.policy.SendLimits;
import dev.petrel.tenant.SharedRates;
import dev.petrel.tenant.Tenancy;
import dev.petrel.testing.Hammer;
import dev.petrel.testing.PostgresExtension;
import dev.petrel.testing.PrivatePostgres;
import dev.petrel.testing.Tenancies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits several nodes share on one PostgreSQL (a private one, a database of each test's own): site slots and
 * rate buckets, each node one instance in this JVM, hammered from many threads.
 */
@ExtendWith(PostgresExtension.class)
class SharedLimitsTest {

    private static final Lane LANE = Lane.of(Site.of(List.of("mx1.example.test", "mx2.example.test")));
    private static final TenantId ACME = new TenantId("acme");

    private final Stores stores;

    SharedLimitsTest(PrivatePostgres postgres, @TempDir Path dataDir) throws Exception {
        stores = Stores.open(postgres.newDatabase(), dataDir, List.of(), line -> {});
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void nodesTakingSlotsFromManyThreadsNeverHoldMoreThanTheSitesConcurrency() throws Exception {
        List<SqlSiteSlots> nodes = List.of(slots(Duration.ofSeconds(30)), slots(Duration.ofSeconds(30)),
                slots(Duration.ofSeconds(30)));
        AtomicInteger held = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Hammer.Counts taken = Hammer.run(12, Duration.ofSeconds(1), t -> () -> {
            Optional<SiteSlots.Slot> slot = nodes.get(t % 3).take(LANE, 2);
            if (slot.isEmpty()) {
                return false;
            }
            peak.accumulateAndGet(held.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            held.decrementAndGet();
            slot.get().release();
            return true;
        });
        assertTrue(peak.get() <= 2, "at most 2 held at once, not " + peak.get());
        assertTrue(taken.yes() > 0 && taken.no() > 0, taken.toString());
        assertEquals(0, nodes.stream().mapToInt(SqlSiteSlots::renew).sum(), "every slot released");
    }

    @Test
    void aNodeThatStopsRenewingLosesItsSlotsAfterTheLeaseAndOneThatRenewsKeepsThem() throws Exception {
        SqlSiteSlots dead = slots(Duration.ofMillis(600));
        SqlSiteSlots alive = slots(Duration.ofMillis(600));
        SqlSiteSlots other = slots(Duration.ofMillis(600));
        assertTrue(dead.take(LANE, 2).isPresent());
        assertTrue(alive.take(LANE, 2).isPresent());
        assertTrue(other.take(LANE, 2).isEmpty(), "both slots held");
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        boolean freed = false;
        while (System.nanoTime() < until && !freed) {
            assertEquals(1, alive.renew());
            Thread.sleep(150);
            freed = other.take(LANE, 2).isPresent();
        }
        assertTrue(freed, "the dead node's slot came back after its lease");
        assertEquals(0, dead.renew(), "the dead node holds nothing now");
        assertEquals(1, alive.renew(), "the renewing node kept its slot");
        assertTrue(other.take(LANE, 2).isEmpty());
        alive.close();
        assertTrue(other.take(LANE, 2).isPresent(), "a closed node frees what it held");
    }

    @Test
    void threeNodesAdmitAtMostTheRateAndOneChunkEachOverAMeasuredWindow() throws Exception {
        Tenancy tenancy = Tenancies.on(stores, Clock.systemUTC());
        tenancy.addTenant(ACME);
        long rate = 50;
        tenancy.setLimits(ACME, rate, null);
        SharedRates shared = stores.sharedRates().orElseThrow();
        List<SendLimits> nodes = List.of(limits(tenancy, shared), limits(tenancy, shared), limits(tenancy, shared));
        Hammer.Counts admitted = Hammer.run(9, Duration.ofSeconds(2), t -> () -> nodes.get(t % 3)
                .admit(ACME, Optional.empty(), 1) instanceof SendLimits.Admission.Admitted);
        double seconds = admitted.seconds();
        long chunk = Math.max(1, rate * SendLimits.CHUNK.toMillis() / 1000);
        // the bucket starts full (one second's worth), fills at the rate, and each node may hold a chunk unused
        double bound = rate + rate * seconds + 3 * chunk;
        assertTrue(admitted.yes() <= bound, admitted + ", bound " + bound);
        assertTrue(admitted.yes() >= rate * seconds * 0.8, admitted.toString());
    }

    @Test
    void aRefusedTakeSaysHowLongUntilTheBucketHoldsTheNeed() {
        SharedRates shared = stores.sharedRates().orElseThrow();
        assertEquals(10, shared.take(ACME, null, 10, 1, 10).granted(), "a new bucket is full: one second's worth");
        SharedRates.Grant none = shared.take(ACME, null, 10, 5, 5);
        assertEquals(0, none.granted());
        assertTrue(none.remaining() < 5, "remaining " + none.remaining());
        assertEquals(1, shared.take(ACME, "news", 10, 1, 1).granted(), "a stream's bucket is its own");
    }

    @Test
    void aNodeOverASharedRateIsRefusedAsAServerAloneIs() {
        Tenancy tenancy = Tenancies.on(stores, Clock.systemUTC());
        tenancy.addTenant(ACME);
        tenancy.setLimits(ACME, 1L, null);
        SharedRates shared = stores.sharedRates().orElseThrow();
        SendLimits one = limits(tenancy, shared);
        SendLimits two = limits(tenancy, shared);
        assertInstanceOf(SendLimits.Admission.Admitted.class, one.admit(ACME, Optional.empty(), 1));
        SendLimits.Admission.Refused refused = assertInstanceOf(SendLimits.Admission.Refused.class,
                two.admit(ACME, Optional.empty(), 1), "the other node shares the bucket");
        assertEquals(SendLimits.Limit.RATE, refused.limit());
        assertEquals("451 4.7.1 Rate limit reached: tenant acme may send 1 message a second; try again in 1 s",
                refused.reply().summary());
        assertTrue(refused.retryAfter().compareTo(Duration.ZERO) > 0
                && refused.retryAfter().compareTo(Duration.ofSeconds(1)) <= 0, refused.retryAfter().toString());
    }

    @Test
    void twoNodesSendNoMoreToASiteThanItsMessageRateAndAChunkEach() throws Exception {
        int rate = 20;
        SiteRates shared = stores.siteRates().orElseThrow();
        List<SiteThrottle> nodes = List.of(siteThrottle(rate, shared), siteThrottle(rate, shared));
        Hammer.Counts sent = Hammer.run(6, Duration.ofMillis(1500), t -> () -> {
            Instant notBefore = nodes.get(t % 2).reserve(LANE);
            assertTrue(notBefore == null || !notBefore.isAfter(Instant.now().plusSeconds(1)),
                    String.valueOf(notBefore));
            return notBefore == null;
        });
        double seconds = sent.seconds();
        long chunk = Math.max(1, rate * SiteThrottle.CHUNK.toMillis() / 1000);
        double bound = rate + rate * seconds + 2 * chunk;
        assertTrue(sent.yes() <= bound, sent + ", bound " + bound);
        assertTrue(sent.yes() >= rate * seconds * 0.8, sent.toString());
        assertTrue(sent.no() > 0, "the rest was postponed: " + sent);
    }

    private static SiteThrottle siteThrottle(int rate, SiteRates shared) {
        return new SiteThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(30), rate, Clock.systemUTC(),
                new SimpleMeterRegistry(), null, line -> { }, shared);
    }

    private SqlSiteSlots slots(Duration lease) {
        return stores.siteSlots(lease).orElseThrow();
    }

    private SendLimits limits(Tenancy tenancy, SharedRates shared) {
        return new SendLimits(tenancy, stores.sendCounts(), shared, Clock.systemUTC(), System::nanoTime,
                new SimpleMeterRegistry());
    }
}
