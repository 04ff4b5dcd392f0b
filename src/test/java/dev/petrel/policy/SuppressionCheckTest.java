package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.compliance.Suppression.Reason;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression step of the send policy: who is checked against which tenant's list and stream, the exact
 * refusal, and the message.suppressed event of each refused recipient.
 */
class SuppressionCheckTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId BRAVO = new TenantId("bravo");
    private static final Address GONE = Address.of("gone@remote.test");
    private static final Address READER = Address.of("reader@remote.test");
    private static final InetAddress HERE = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final List<MailEvent> events = new CopyOnWriteArrayList<>();
    private Stores stores;
    private SuppressionList list;
    private SuppressionCheck check;
    private ApiKey acme;
    private ApiKey news;
    private ApiKey bravo;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        Tenancy tenancy = Tenancies.on(stores, clock);
        tenancy.addTenant(ACME);
        tenancy.addTenant(BRAVO);
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.addUser(Optional.of(ACME), Address.of("ann@acme.test"), "a good password");
        tenancy.addUser(Optional.empty(), Address.of("bob@other.test"), "a good password");
        acme = tenancy.createKey(ACME, Optional.empty()).key();
        news = tenancy.createKey(ACME, Optional.of("news")).key();
        bravo = tenancy.createKey(BRAVO, Optional.empty()).key();
        list = new SuppressionList(stores.suppressions(), tenancy, clock);
        check = new SuppressionCheck(list, tenancy, events::add, clock);
        list.add(ACME, GONE, Optional.empty(), Reason.HARD_BOUNCE);
        list.add(ACME, READER, Optional.of("news"), Reason.UNSUBSCRIBE);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static Client client(String user) {
        return new Client(HERE, user);
    }

    @Test
    void aKeysTenantSuppressionRefusesAtRcptWithTheReasonAndAnEvent() {
        Decision d = check.rcpt(client(acme.identity()), GONE);
        assertEquals("550 5.7.1 Recipient suppressed: hard bounce on 2026-11-28",
                assertInstanceOf(Decision.Reject.class, d).reply().summary());
        assertEquals(List.of(new MailEvent.Suppressed(clock.now, "gone@remote.test", "hard_bounce",
                "550 5.7.1 Recipient suppressed: hard bounce on 2026-11-28",
                new SendContext("acme", null, null, Map.of()))), events);
    }

    @Test
    void anotherTenantsKeyAndClientsOfNoTenantAreNotRefused() {
        assertEquals(Decision.ACCEPT, check.rcpt(client(bravo.identity()), GONE));
        assertEquals(Decision.ACCEPT, check.rcpt(client(null), GONE), "mail from elsewhere sends for no tenant");
        assertEquals(Decision.ACCEPT, check.rcpt(client("apikey:nosuchkey"), GONE), "a revoked key is refused at MAIL");
        assertEquals(List.of(), events);
    }

    @Test
    void aUserOfTheAccountStoreIsCheckedAgainstItsTenantsEntriesOfEveryStream() {
        assertInstanceOf(Decision.Reject.class, check.rcpt(client("ann@acme.test"), GONE));
        assertEquals(Decision.ACCEPT, check.rcpt(client("ann@acme.test"), READER), "a user's mail is on no stream");
        assertEquals(Decision.ACCEPT, check.rcpt(client("bob@other.test"), GONE), "bob's tenant is default");
        assertEquals("acme", ((MailEvent.Suppressed) events.getFirst()).context().tenant());
    }

    @Test
    void aStreamsEntryRefusesAtRcptForAKeyOfThatStreamAndAtTheEndOfDataForAStreamChosenByHeader() {
        Decision atRcpt = check.rcpt(client(news.identity()), READER);
        assertEquals("550 5.7.1 Recipient suppressed: unsubscribe from stream news on 2026-11-28",
                assertInstanceOf(Decision.Reject.class, atRcpt).reply().summary());
        assertEquals(Decision.ACCEPT, check.rcpt(client(acme.identity()), READER), "the stream is not known yet");
        SendContext chosen = new SendContext("acme", "news", "weekly", Map.of("issue", "7"));
        Decision atData = check.chosenStream(client(acme.identity()), chosen, List.of(Address.of("ok@remote.test"),
                READER));
        assertEquals("550 5.7.1 Message refused: recipient reader@remote.test is suppressed: unsubscribe from stream"
                + " news on 2026-11-28", assertInstanceOf(Decision.Reject.class, atData).reply().summary());
        assertEquals(chosen, ((MailEvent.Suppressed) events.getLast()).context());
        // a key of one stream was checked at RCPT already; a message on no stream has nothing more to check
        assertEquals(Decision.ACCEPT, check.chosenStream(client(news.identity()), chosen, List.of(READER)));
        assertEquals(Decision.ACCEPT, check.chosenStream(client(acme.identity()),
                new SendContext("acme", null, null, Map.of()), List.of(READER)));
    }

    @Test
    void theSendApiLearnsWhichRecipientsAreSuppressedWithTheMessagesContext() {
        SendContext context = new SendContext("acme", "news", "weekly", Map.of("issue", "7"));
        Address ok = Address.of("ok@remote.test");
        assertEquals(Map.of(GONE, "Recipient suppressed: hard bounce on 2026-11-28",
                READER, "Recipient suppressed: unsubscribe from stream news on 2026-11-28"),
                check.admit(context, List.of(ok, GONE, READER)));
        assertEquals(List.of("gone@remote.test hard_bounce", "reader@remote.test unsubscribe"), events.stream()
                .map(e -> (MailEvent.Suppressed) e).map(s -> s.to() + " " + s.reason()).toList());
        events.forEach(e -> assertEquals(context, ((MailEvent.Suppressed) e).context()));
        assertEquals(Map.of(), check.admit(new SendContext("bravo", null, null, Map.of()), List.of(GONE)));
    }
}
