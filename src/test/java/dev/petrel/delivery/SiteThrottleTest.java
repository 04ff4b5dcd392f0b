package dev.petrel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.Site;
import dev.petrel.testing.HandClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SiteThrottleTest {

    static final Lane SITE = Lane.of(Site.of(List.of("mx.provider.test")));

    private final HandClock clock = new HandClock();
    private final SiteThrottle throttle = new SiteThrottle(8, Duration.ofMinutes(1), Duration.ofMinutes(10), clock);

    @Test
    void aMessageRateSpacesSendsAndCountsOnlyThoseThatGo() {
        SiteThrottle limited = new SiteThrottle(8, Duration.ofMinutes(1), Duration.ofMinutes(10), 4, clock);
        Lane other = Lane.of(Site.of(List.of("mx.other.test")));
        assertNull(limited.reserve(SITE));
        // four per second: the next may go 250 ms later, however often it asks
        assertEquals(clock.instant().plusMillis(250), limited.reserve(SITE));
        assertEquals(clock.instant().plusMillis(250), limited.reserve(SITE));
        assertNull(limited.reserve(other), "each site has its own rate");
        clock.advance(Duration.ofMillis(250));
        assertNull(limited.reserve(SITE));
        assertEquals(clock.instant().plusMillis(250), limited.reserve(SITE));
        // without a rate nothing waits
        for (int i = 0; i < 100; i++) {
            assertNull(throttle.reserve(SITE));
        }
    }

    @Test
    void withSeveralNodesASitesRateIsTakenFromTheSharedBucketAChunkAtATime() {
        List<String> takes = new ArrayList<>();
        long[] tokens = {25};
        SiteRates shared = (lane, rate, need, want) -> {
            takes.add(lane + " rate=" + rate + " need=" + need + " want=" + want);
            long granted = tokens[0] >= need ? Math.min(want, tokens[0]) : 0;
            tokens[0] -= granted;
            return new SiteRates.Grant(granted, tokens[0]);
        };
        SiteThrottle limited = new SiteThrottle(8, Duration.ofMinutes(1), Duration.ofMinutes(10), 100, clock,
                new SimpleMeterRegistry(), null, line -> { }, shared);
        for (int i = 0; i < 25; i++) {
            assertNull(limited.reserve(SITE), "message " + i + " goes at once: the bucket had room");
        }
        assertEquals(3, takes.size(), "a tenth of a second's worth at a time: " + takes);
        assertEquals("default:" + SITE.site().key() + " rate=100 need=1 want=10", takes.getFirst());
        // the bucket is empty: one token at 100 a second is 10 ms away
        assertEquals(clock.instant().plusMillis(10), limited.reserve(SITE));
    }

    @Test
    void eachSiteShowsItsWindowBackoffAndItsLastFiveRepliesNewestFirst() {
        throttle.limit(SITE);
        for (int i = 0; i < 7; i++) {
            throttle.replied(SITE, "mx.example.test[192.0.2.1]:25", "451 4.7.1 try later " + i);
        }
        throttle.failed(SITE);
        List<SiteThrottle.State> states = throttle.states();
        assertEquals(1, states.size());
        SiteThrottle.State s = states.getFirst();
        assertEquals(SITE.site().key(), s.site());
        assertEquals("default", s.egress());
        assertEquals(2, s.window());
        assertEquals(clock.instant().plus(s.lastBackoff()), s.backedOffUntil());
        assertEquals(List.of("451 4.7.1 try later 6", "451 4.7.1 try later 5", "451 4.7.1 try later 4",
                "451 4.7.1 try later 3", "451 4.7.1 try later 2"), s.replies().stream().map(SiteThrottle.Reply::text)
                .toList());
        throttle.succeeded(SITE);
        assertNull(throttle.states().getFirst().backedOffUntil());
    }

    @Test
    void aNewSiteStartsWithFiveAndGrowsWithEachSuccessUpToTheCap() {
        assertEquals(5, throttle.limit(SITE));
        for (int i = 0; i < 10; i++) {
            throttle.succeeded(SITE);
        }
        assertEquals(8, throttle.limit(SITE));
    }

    @Test
    void aFailingSiteIsHalvedAndBackedOffTwiceAsLongEachTime() {
        throttle.failed(SITE);
        assertEquals(2, throttle.limit(SITE));
        assertEquals(clock.now.plus(Duration.ofMinutes(1)), throttle.notBefore(SITE));
        throttle.failed(SITE);
        assertEquals(1, throttle.limit(SITE));
        assertEquals(clock.now.plus(Duration.ofMinutes(2)), throttle.notBefore(SITE));
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertNull(throttle.notBefore(SITE), "the backoff is over by itself");
        throttle.succeeded(SITE);
        assertEquals(2, throttle.limit(SITE));
    }

    @Test
    void eachSiteShowsItsBackoffsWhetherItIsBackedOffAndItsTransactionsInFlight() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SiteThrottle metered = new SiteThrottle(8, Duration.ofMinutes(1), Duration.ofMinutes(10), 0, clock, registry);
        ReadyQueue ready = new ReadyQueue(metered);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        var done = ready.submit(SITE, () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        String key = SITE.site().key();
        assertEquals(1, registry.get("petrel.delivery.site.in.flight").tag("site", key).gauge().value());
        release.countDown();
        done.get(5, TimeUnit.SECONDS);
        // the job's future completes just before its line counts it out: wait for that, within a bound
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.get("petrel.delivery.site.in.flight").tag("site", key).gauge().value() != 0
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, registry.get("petrel.delivery.site.in.flight").tag("site", key).gauge().value());

        assertEquals(0, registry.get("petrel.delivery.site.backed.off").tag("site", key).gauge().value());
        metered.failed(SITE);
        metered.failed(SITE);
        assertEquals(2, registry.get("petrel.delivery.site.backoffs").tag("site", key).counter().count());
        assertEquals(1, registry.get("petrel.delivery.site.backed.off").tag("site", key).gauge().value());
        clock.advance(Duration.ofMinutes(2));
        assertEquals(0, registry.get("petrel.delivery.site.backed.off").tag("site", key).gauge().value(),
                "the backoff is over by itself");
    }

    @Test
    void aDeferralAThrottleRuleMatchesSuspendsTheSiteForItsEgressAloneThenItResumes() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<String> notices = new java.util.ArrayList<>();
        SiteThrottle shaping = new SiteThrottle(8, Duration.ofMinutes(1), Duration.ofMinutes(10), 0, clock, meters,
                dev.petrel.bounce.Throttles.withRules(List.of()), notices::add);
        Lane bulk = new Lane("bulk", SITE.site());
        Lane other = Lane.of(Site.of(List.of("mx.other.test")));
        assertFalse(shaping.shape(SITE, dev.petrel.mail.Reply.of(421, null, "4.7.0 Try again later")));
        assertNull(shaping.notBefore(SITE));
        assertTrue(shaping.shape(SITE, dev.petrel.mail.Reply.of(421, new dev.petrel.mail.EnhancedStatus(4, 7, 28),
                "[192.0.2.1] Our system has detected an unusual rate of unsolicited mail")));
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), shaping.notBefore(SITE));
        assertEquals(shaping.notBefore(SITE), shaping.suspendedUntil(SITE));
        assertNull(shaping.notBefore(bulk), "another egress to the same site goes on");
        assertNull(shaping.notBefore(other), "another site goes on");
        assertEquals(List.of(clock.instant() + " site-suspended site=mx.provider.test egress=default until="
                + clock.instant().plus(Duration.ofMinutes(15)) + " reply=\"421 4.7.28 [192.0.2.1] Our system has"
                + " detected an unusual rate of unsolicited mail\""), notices);
        assertEquals(1.0, meters.get("petrel.delivery.site.suspended").tag("site", "mx.provider.test").gauge()
                .value());
        assertEquals(1.0, meters.get("petrel.delivery.site.suspensions").counter().count());
        shaping.succeeded(SITE);
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), shaping.notBefore(SITE),
                "a success elsewhere in flight does not end a suspension");
        clock.advance(Duration.ofMinutes(15));
        assertNull(shaping.notBefore(SITE));
        assertEquals(0.0, meters.get("petrel.delivery.site.suspended").gauge().value());
    }

    @Test
    void aDeferralForTooManyConnectionsKeepsTheSiteToOneTransactionForAWhile() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<String> notices = new java.util.ArrayList<>();
        SiteThrottle shaping = new SiteThrottle(8, Duration.ofMinutes(1), Duration.ofMinutes(10), 0, clock, meters,
                dev.petrel.bounce.Throttles.withRules(List.of()), notices::add);
        assertEquals(5, shaping.limit(SITE));
        assertTrue(shaping.shape(SITE, dev.petrel.mail.Reply.of(421, new dev.petrel.mail.EnhancedStatus(4, 3, 2),
                "The maximum number of concurrent server connections has exceeded a limit")));
        assertEquals(1, shaping.limit(SITE));
        assertNull(shaping.notBefore(SITE), "slowed, not suspended");
        assertTrue(notices.getFirst().contains(" site-slowed site=mx.provider.test egress=default until="
                + clock.instant().plus(Duration.ofMinutes(10))), notices.toString());
        assertEquals(1.0, meters.get("petrel.delivery.site.slowed").gauge().value());
        assertEquals(1.0, meters.get("petrel.delivery.site.suspensions").tag("action", "slow").counter().count());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(5, shaping.limit(SITE), "its window again");
        assertEquals(0.0, meters.get("petrel.delivery.site.slowed").gauge().value());
    }
}
