package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.compliance.Consent;
import dev.petrel.compliance.ConsentLedger;
import dev.petrel.compliance.ConsentStatus;
import dev.petrel.compliance.ConsentWriter;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.testing.HandClock;
import dev.petrel.testing.Tenancies;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consent step of the send policy on a real store: which mail is checked (broadcast streams only), the refusal
 * with its reason, the message.rejected event with the tenant's context, an unsubscribe written as a withdrawal once,
 * and the record a broadcast copy relied on.
 */
class ConsentCheckTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final Address ANN = Address.of("ann@remote.test");
    private static final Address BOB = Address.of("Bob@Remote.test");
    private static final InetAddress HERE = InetAddress.getLoopbackAddress();
    private static final SendContext NEWS = new SendContext("acme", "news", null, Map.of());

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final List<MailEvent> events = new CopyOnWriteArrayList<>();
    private Stores stores;
    private ConsentLedger ledger;
    private ConsentCheck check;
    private ApiKey news;
    private ApiKey receipts;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        Tenancy tenancy = Tenancies.on(stores, clock);
        tenancy.addTenant(ACME);
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.addStream(ACME, "receipts", Stream.Kind.TRANSACTIONAL, null, null);
        news = tenancy.createKey(ACME, Optional.of("news")).key();
        receipts = tenancy.createKey(ACME, Optional.of("receipts")).key();
        ledger = new ConsentLedger(stores.consents(), stores.streams(), clock, line -> {});
        check = new ConsentCheck(ledger, tenancy, events::add, clock);
        ledger.add(ACME, ANN, Consent.Kind.IMPLIED_INQUIRY, clock.instant().minus(Duration.ofDays(30)),
                Consent.Evidence.note("asked about prices"), "cli");
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void aBroadcastRecipientWithoutConsentIsRefusedAtRcptWithTheReasonAndAnEvent() {
        assertEquals(Decision.ACCEPT, check.rcpt(new Client(HERE, news.identity()), ANN));
        Decision.Reject r = assertInstanceOf(Decision.Reject.class, check.rcpt(new Client(HERE, news.identity()), BOB));
        assertEquals("550 5.7.1 Recipient refused: no_consent (no consent on record)", r.reply().summary());
        MailEvent.Rejected e = assertInstanceOf(MailEvent.Rejected.class, events.getFirst());
        assertEquals("no_consent", e.reason());
        assertEquals("Bob@remote.test", e.to());
        assertEquals(NEWS, e.context());
        assertEquals(1, events.size());
    }

    @Test
    void transactionalMailAndUnauthenticatedClientsAreExempt() {
        assertEquals(Decision.ACCEPT, check.rcpt(new Client(HERE, receipts.identity()), BOB));
        assertEquals(Decision.ACCEPT, check.rcpt(new Client(HERE, null), BOB));
        assertEquals(Map.of(), check.admit(new SendContext("acme", "receipts", null, Map.of()), List.of(BOB)));
        assertEquals(List.of(), events);
    }

    @Test
    void theInquiryRunsOutAfterSixMonthsAsTheClockMoves() {
        clock.advance(Duration.ofDays(200));
        Map<Address, ConsentStatus.Refused> refused = check.admit(NEWS, List.of(ANN));
        assertEquals(ConsentStatus.Reason.CONSENT_EXPIRED, refused.get(ANN).reason());
        assertEquals("consent_expired", assertInstanceOf(MailEvent.Rejected.class, events.getFirst()).reason());
    }

    @Test
    void anUnsubscribeOnTheFeedIsAWithdrawalWrittenOnce() {
        MailEvent.Unsubscribed u = new MailEvent.Unsubscribed(clock.instant(), new QueueId("1M1BDZPWL00RDFF"), "ANN@remote.test",
                NEWS);
        ConsentWriter writer = new ConsentWriter(ledger, stores.tenants());
        writer.handle(List.of(new EventFeed.Entry(41, u)));
        writer.handle(List.of(new EventFeed.Entry(41, u)));
        List<Consent> records = ledger.records(ACME, ANN);
        assertEquals(2, records.size());
        assertEquals(Consent.Kind.WITHDRAWAL, records.get(1).kind());
        assertEquals("unsubscribe", records.get(1).source());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ConsentStatus.Reason.CONSENT_WITHDRAWN, check.admit(NEWS, List.of(ANN)).get(ANN).reason());
        Decision.Reject r = assertInstanceOf(Decision.Reject.class,
                check.data(new Client(HERE, news.identity()), NEWS, List.of(ANN)));
        assertEquals("550 5.7.1 Message refused: recipient ann@remote.test consent_withdrawn (consent withdrawn on "
                + clock.instant().minusSeconds(1) + " (unsubscribed))", r.reply().summary());
    }

    @Test
    void aBroadcastCopyIsWrittenDownWithTheRecordItReliedOn() {
        long id = ledger.records(ACME, ANN).getFirst().id();
        ledger.queued(NEWS, clock.instant(), Map.of(new QueueId("1M1BDZPWL00RDF7"), ANN));
        ledger.queued(new SendContext("acme", "receipts", null, Map.of()), clock.instant(),
                Map.of(new QueueId("1M1BDZPWL00RDF8"), ANN));
        var uses = ledger.uses(ACME, Optional.of(ANN));
        assertEquals(1, uses.size(), "transactional mail needs no consent and is not written down");
        assertEquals("1M1BDZPWL00RDF7", uses.getFirst().messageId());
        assertEquals(id, uses.getFirst().consentId());
    }

    @Test
    void aPublishedAddressServesOnlyMailMarkedRoleRelevant() {
        ledger.add(ACME, BOB, Consent.Kind.IMPLIED_PUBLISHED, Instant.parse("2020-01-01T00:00:00Z"),
                Consent.Evidence.note("on the firm's contact page"), "cli");
        assertEquals(ConsentStatus.Reason.NO_CONSENT, check.admit(NEWS, List.of(BOB)).get(BOB).reason());
        SendContext relevant = new SendContext("acme", "news", null, Map.of("Casl-Role-Relevant", "true"));
        assertEquals(Map.of(), check.admit(relevant, List.of(BOB)));
    }
}
