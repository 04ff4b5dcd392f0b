package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.ReputationGuard;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.testing.HandClock;
import dev.petrel.testing.Tenancies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reputation guard on the embedded store: rolling counts per tenant and stream from the events it reads, a
 * pause with its reason and one stream.paused event when a rate is over, nothing below the minimum volume, counts
 * that leave the window, survive a restart without counting twice, and start again at a resume.
 */
class ReputationGuardTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId BRAVO = new TenantId("bravo");
    private static final QueueId ID = new QueueId("1M1BDZPWL00RDFF");
    private static final ReputationGuard.Thresholds THRESHOLDS =
            new ReputationGuard.Thresholds(Duration.ofHours(1), 20, 0.05, 0.003);

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final List<MailEvent> written = new ArrayList<>();
    private Stores stores;
    private Tenancy tenancy;
    private long cursor;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        tenancy = Tenancies.on(stores, clock);
        tenancy.addTenant(ACME);
        tenancy.addTenant(BRAVO);
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.addStream(BRAVO, "news", Stream.Kind.BROADCAST, null, null);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private ReputationGuard guard() {
        return guard(THRESHOLDS);
    }

    private ReputationGuard guard(ReputationGuard.Thresholds thresholds) {
        return new ReputationGuard(stores.reputationCounts(), tenancy, written::add, thresholds, clock);
    }

    private static SendContext on(TenantId tenant, String stream) {
        return new SendContext(tenant.name(), stream, null, Map.of());
    }

    private MailEvent delivered(TenantId tenant) {
        return new MailEvent.Delivered(clock.instant(), ID, "ann@remote.test", "mx[192.0.2.2]:25", Duration.ZERO,
                "2.0.0", "250 2.0.0 ok", on(tenant, "news"));
    }

    private MailEvent hardBounce(TenantId tenant) {
        return new MailEvent.Bounced(clock.instant(), ID, "gone@remote.test", "mx[192.0.2.2]:25", Duration.ZERO,
                "5.1.1", "550 5.1.1 no such user", BounceClass.HARD, on(tenant, "news"));
    }

    private MailEvent complaint(TenantId tenant) {
        return new MailEvent.Complained(clock.instant(), ID, "ann@remote.test", "abuse", "Yahoo", on(tenant, "news"));
    }

    // the events as the feed gives them, numbered on from the last batch
    private List<EventFeed.Entry> batch(MailEvent event, int times) {
        List<EventFeed.Entry> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.add(new EventFeed.Entry(++cursor, event));
        }
        return out;
    }

    private Stream news(TenantId tenant) {
        return tenancy.stream(tenant, "news").orElseThrow();
    }

    @Test
    void aStreamOverTheHardBounceRateIsPausedOnceWithItsReasonAndAnEvent() {
        ReputationGuard guard = guard();
        guard.handle(batch(delivered(ACME), 18));
        guard.handle(batch(delivered(BRAVO), 40));
        assertFalse(news(ACME).paused(), "18 recipients: under the minimum volume");
        List<EventFeed.Entry> bounces = batch(hardBounce(ACME), 2);
        guard.handle(bounces);
        Stream paused = news(ACME);
        assertTrue(paused.paused());
        assertEquals("hard_bounce_rate", paused.pause().reason());
        assertEquals("2 hard bounces of 20 recipients (10.0%) in 1h, over 5.0%", paused.pause().text());
        assertEquals(clock.instant(), paused.pause().at());
        assertEquals(List.of(new MailEvent.StreamPaused(clock.instant(), "hard_bounce_rate",
                "2 hard bounces of 20 recipients (10.0%) in 1h, over 5.0%", on(ACME, "news"))), written);
        assertFalse(news(BRAVO).paused(), "another tenant's stream of the same name is its own");
        guard.handle(bounces);
        guard.handle(batch(hardBounce(ACME), 5));
        assertEquals(1, written.size(), "one pause, one event: " + written);
    }

    @Test
    void aStreamOverTheComplaintRateIsPaused() {
        ReputationGuard guard = guard(new ReputationGuard.Thresholds(Duration.ofHours(24), 500, 0.05, 0.003));
        guard.handle(batch(delivered(ACME), 1000));
        guard.handle(batch(complaint(ACME), 3));
        assertFalse(news(ACME).paused(), "0.3% is the ceiling, not over it");
        guard.handle(batch(complaint(ACME), 1));
        assertEquals("complaint_rate: 4 complaints of 1000 recipients (0.4%) in 24h, over 0.3%",
                news(ACME).pause().summary());
    }

    @Test
    void underTheMinimumVolumeNoStreamIsJudgedAndSandboxMailIsNotCounted() {
        ReputationGuard guard = guard();
        guard.handle(batch(hardBounce(ACME), 19));
        guard.handle(batch(new MailEvent.Delivered(clock.instant(), ID, "ann@remote.test", "sandbox", Duration.ZERO,
                "2.0.0", "250 2.0.0 sandbox: not sent", on(ACME, "news")), 30));
        guard.handle(batch(new MailEvent.Delivered(clock.instant(), ID, "ann@remote.test", "mx[192.0.2.2]:25",
                Duration.ZERO, "2.0.0", "250 ok", new SendContext("acme", null, null, Map.of())), 30));
        assertFalse(news(ACME).paused(), "19 recipients, all hard bounces: not enough to judge");
        assertTrue(written.isEmpty());
    }

    @Test
    void countsOlderThanTheWindowAreForgotten() {
        ReputationGuard guard = guard(new ReputationGuard.Thresholds(Duration.ofHours(1), 25, 0.05, 0.003));
        guard.handle(batch(hardBounce(ACME), 10));
        guard.handle(batch(delivered(ACME), 10));
        clock.advance(Duration.ofMinutes(61));
        guard.handle(batch(delivered(ACME), 20));
        assertFalse(news(ACME).paused(), "the bounces of an hour ago left the window");
        guard.handle(batch(hardBounce(ACME), 5));
        assertTrue(news(ACME).paused(), "5 of 25 in the window");
    }

    @Test
    void countsSurviveARestartAndEventsReadAgainAreNotCountedTwice() {
        ReputationGuard first = guard();
        List<EventFeed.Entry> sent = batch(delivered(ACME), 19);
        first.handle(sent);
        first.durable(cursor);
        ReputationGuard second = guard();
        second.handle(sent);
        second.handle(sent);
        assertFalse(news(ACME).paused());
        second.handle(batch(hardBounce(ACME), 1));
        assertFalse(news(ACME).paused(), "5.0% is the threshold, not over it: 19 delivered were counted once");
        second.handle(batch(hardBounce(ACME), 1));
        assertEquals("2 hard bounces of 21 recipients (9.5%) in 1h, over 5.0%", news(ACME).pause().text());
    }

    @Test
    void aResumeStartsTheJudgementAfresh() {
        ReputationGuard guard = guard();
        guard.handle(batch(hardBounce(ACME), 20));
        assertTrue(news(ACME).paused());
        clock.advance(Duration.ofMinutes(5));
        assertTrue(tenancy.setPaused(ACME, "news", false));
        assertNull(news(ACME).pause());
        assertEquals(clock.instant(), news(ACME).resumed());
        clock.advance(Duration.ofSeconds(1));
        guard.handle(batch(delivered(ACME), 1));
        assertFalse(news(ACME).paused(), "the 20 bounces before the resume count no more");
        guard.durable(cursor);
        ReputationGuard restarted = guard();
        restarted.handle(batch(delivered(ACME), 18));
        restarted.handle(batch(hardBounce(ACME), 1));
        assertFalse(news(ACME).paused(), "1 of 20 since the resume");
        restarted.handle(batch(hardBounce(ACME), 1));
        assertTrue(news(ACME).paused(), "2 of 21 since the resume");
        assertEquals(2, written.size());
    }
}
