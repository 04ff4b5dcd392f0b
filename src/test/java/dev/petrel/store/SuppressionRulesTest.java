package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.Suppression.Reason;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.compliance.SuppressionWriter;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.testing.HandClock;
import dev.petrel.testing.Tenancies;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression list's rules (what may be added, pages, which entry holds) and its writer (what in the event
 * feed suppresses whom), on the embedded store.
 */
class SuppressionRulesTest {

    static final TenantId ACME = new TenantId("acme");
    static final TenantId BRAVO = new TenantId("bravo");
    private static final QueueId ID = new QueueId("1M1BDZPWL00RDFF");
    private static final Address GONE = Address.of("gone@remote.test");

    @TempDir
    Path dir;

    final HandClock clock = new HandClock();
    Stores stores;
    Tenancy tenancy;
    SuppressionList list;
    private SuppressionWriter writer;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        tenancy = Tenancies.on(stores, clock);
        tenancy.addTenant(ACME);
        tenancy.addTenant(BRAVO);
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.addStream(ACME, "receipts", Stream.Kind.TRANSACTIONAL, null, null);
        list = new SuppressionList(stores.suppressions(), tenancy, clock);
        writer = new SuppressionWriter(stores.suppressions(), tenancy);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void anEntryByHandIsForATenantAndStreamThatExist() {
        Suppression s = list.add(ACME, Address.of("Ann@Remote.Test"), Optional.empty(), Reason.MANUAL);
        assertEquals(new Suppression(ACME, null, "ann@remote.test", Reason.MANUAL, clock.now, null), s);
        assertEquals("added by hand on 2026-11-28", s.describe());
        assertEquals(List.of(s), list.entries(ACME, Address.of("ANN@remote.test")), "without regard to case");
        assertEquals("no tenant carol", message(() -> list.add(new TenantId("carol"), GONE, Optional.empty(),
                Reason.MANUAL)));
        assertEquals("tenant bravo has no stream news", message(() -> list.add(BRAVO, GONE, Optional.of("news"),
                Reason.MANUAL)));
        assertEquals("unsubscribe from stream news on 2026-11-28",
                list.add(ACME, GONE, Optional.of("news"), Reason.UNSUBSCRIBE).describe());
    }

    @Test
    void pagesGoOnFromTheirTokenAndAWrongTokenOrLimitIsRefused() {
        for (String name : List.of("e", "d", "c", "b", "a")) {
            list.add(ACME, Address.of(name + "@remote.test"), Optional.empty(), Reason.MANUAL);
        }
        List<String> seen = new ArrayList<>();
        SuppressionList.Page page = list.list(ACME, Optional.empty(), Optional.empty(), 2);
        int pages = 1;
        page.entries().forEach(s -> seen.add(s.address()));
        while (page.next() != null && pages < 10) {
            page = list.list(ACME, Optional.empty(), Optional.of(page.next()), 2);
            page.entries().forEach(s -> seen.add(s.address()));
            pages++;
        }
        assertEquals(List.of("a@remote.test", "b@remote.test", "c@remote.test", "d@remote.test", "e@remote.test"),
                seen);
        assertEquals(3, pages);
        assertEquals(5, list.all(ACME).size());
        assertEquals("not a page token: !!", message(() -> list.list(ACME, Optional.empty(), Optional.of("!!"), 2)));
        assertEquals("a page holds 1 to 1000 entries, not 0",
                message(() -> list.list(ACME, Optional.empty(), Optional.empty(), 0)));
        assertEquals("a page holds 1 to 1000 entries, not 1001",
                message(() -> list.list(ACME, Optional.empty(), Optional.empty(), 1001)));
    }

    @Test
    void theStrongestOfTheEntriesThatHoldIsTheOneGiven() {
        list.add(ACME, GONE, Optional.empty(), Reason.HARD_BOUNCE);
        list.add(ACME, GONE, Optional.of("news"), Reason.UNSUBSCRIBE);
        Address other = Address.of("other@remote.test");
        assertEquals(Reason.UNSUBSCRIBE, list.suppressed(ACME, Optional.of("news"), List.of(GONE, other)).get(GONE)
                .reason());
        assertEquals(Reason.HARD_BOUNCE, list.suppressed(ACME, Optional.of("receipts"), List.of(GONE)).get(GONE)
                .reason());
        assertEquals(Map.of(), list.suppressed(BRAVO, Optional.empty(), List.of(GONE, other)));
    }

    private void feed(long cursor, MailEvent event) {
        writer.handle(List.of(new EventFeed.Entry(cursor, event)));
    }

    static SendContext context(TenantId tenant, String stream) {
        return new SendContext(tenant == null ? null : tenant.name(), stream, "tag", Map.of());
    }

    private static MailEvent.Bounced bounced(String to, String dsn, SendContext context) {
        return new MailEvent.Bounced(Instant.parse("2026-12-01T08:00:00.123456Z"), ID, to, "mx[192.0.2.2]:25",
                Duration.ofSeconds(3), dsn, "550 " + dsn + " whatever", BounceClass.UNDETERMINED, context);
    }

    @Test
    void aHardBounceOfATenantsMailSuppressesTheRecipientOnEveryStreamWithItsEvent() {
        feed(41, bounced("Gone@Remote.Test", "5.1.1", context(ACME, "news")));
        assertEquals(List.of(new Suppression(ACME, null, "gone@remote.test", Reason.HARD_BOUNCE,
                Instant.parse("2026-12-01T08:00:00.123Z"), "41")), list.all(ACME));
        // the same event read again after a restart changes nothing
        feed(41, bounced("gone@remote.test", "5.1.1", context(ACME, "news")));
        assertEquals(1, list.all(ACME).size());
        assertEquals("41", list.all(ACME).getFirst().sourceEvent());
    }

    @Test
    void aComplaintSuppressesTheRecipientOnEveryStreamOfTheTenant() {
        feed(50, new MailEvent.Complained(Instant.parse("2026-12-02T09:00:00Z"), ID, "Reader@Remote.Test", "abuse",
                "Yahoo! Mail AntiSpam Feedback Loop", context(ACME, "news")));
        assertEquals(List.of(new Suppression(ACME, null, "reader@remote.test", Reason.COMPLAINT,
                Instant.parse("2026-12-02T09:00:00Z"), "50")), list.all(ACME));
        feed(51, new MailEvent.Complained(Instant.EPOCH, ID, "other@remote.test", "abuse", null, SendContext.EMPTY));
        assertEquals(1, list.all(ACME).size(), "mail of no tenant");
    }

    @Test
    void otherBouncesAndMailOfNoTenantSuppressNoOne() {
        feed(1, bounced("full@remote.test", "5.2.2", context(ACME, null)));
        feed(2, bounced("blocked@remote.test", "5.7.1", context(ACME, null)));
        feed(3, bounced("gone@remote.test", "5.1.1", SendContext.EMPTY));
        feed(4, new MailEvent.Deferred(Instant.EPOCH, ID, "later@remote.test", "none", Duration.ZERO, "4.1.1",
                "450 4.1.1 try later", BounceClass.SOFT, context(ACME, null)));
        assertEquals(List.of(), list.all(ACME));
        for (String status : List.of("5.1.2", "5.1.10")) {
            feed(5, bounced("x" + status + "@remote.test", status, context(ACME, null)));
        }
        assertEquals(2, list.all(ACME).size(), "5.1.2 and 5.1.10 (null MX) are hard");
        // a server that did not advertise ENHANCEDSTATUSCODES: the status is in its reply's text
        feed(6, new MailEvent.Bounced(Instant.EPOCH, ID, "nouser@remote.test", "mx[192.0.2.2]:25", Duration.ZERO,
                "5.0.0", "550 5.1.1 <nouser@remote.test>: Recipient address rejected: User unknown",
                BounceClass.UNDETERMINED, context(ACME, null)));
        feed(7, new MailEvent.Bounced(Instant.EPOCH, ID, "policy@remote.test", "mx[192.0.2.2]:25", Duration.ZERO,
                "5.0.0", "550 5.7.1 Message rejected as spam", BounceClass.BLOCK, context(ACME, null)));
        assertEquals(3, list.all(ACME).size());
        assertEquals(1, list.entries(ACME, Address.of("nouser@remote.test")).size());
    }

    @Test
    void aBounceForATenantRemovedSinceIsPassedOver() {
        tenancy.addTenant(new TenantId("gone-tenant"));
        tenancy.removeTenant(new TenantId("gone-tenant"));
        feed(7, bounced("gone@remote.test", "5.1.1", new SendContext("gone-tenant", null, null, Map.of())));
        feed(8, bounced("gone@remote.test", "5.1.1", new SendContext("Not A Name!", null, null, Map.of())));
        assertEquals(List.of(), list.all(ACME));
    }

    @Test
    void aDeliveryAfterAComplaintOrAnUnsubscribeLeavesThemAsTheyAre() {
        Suppression complaint = list.add(ACME, GONE, Optional.empty(), Reason.COMPLAINT);
        Suppression unsubscribe = list.add(ACME, GONE, Optional.of("news"), Reason.UNSUBSCRIBE);
        feed(9, new MailEvent.Delivered(Instant.EPOCH, ID, GONE.toString(), "mx[192.0.2.2]:25", Duration.ZERO, "2.0.0",
                "250 2.0.0 Ok", context(ACME, "news")));
        // and a hard bounce after a complaint does not weaken it
        feed(10, bounced(GONE.toString(), "5.1.1", context(ACME, null)));
        assertEquals(List.of(complaint, unsubscribe), list.entries(ACME, GONE));
    }

    @Test
    void theEntryOfTheWeakerReasonGivesWayToAStrongerOne() {
        list.add(ACME, GONE, Optional.empty(), Reason.MANUAL);
        feed(12, bounced(GONE.toString(), "5.1.1", context(ACME, null)));
        Suppression now = list.entries(ACME, GONE).getFirst();
        assertEquals(Reason.HARD_BOUNCE, now.reason());
        assertEquals("12", now.sourceEvent());
        assertNull(list.suppressed(BRAVO, Optional.empty(), List.of(GONE)).get(GONE));
        assertTrue(list.hasTenant(BRAVO));
    }
}
