package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Directory;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.Domain;
import dev.petrel.mail.HeaderSection;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a client authenticated with an API key may send, and how its message is labelled and cleaned. */
class KeySendingTest {

    private static final TenantId ACME = new TenantId("acme");

    @TempDir
    Path dir;

    private Stores stores;
    private Tenancy tenancy;
    private KeySending sending;
    private ApiKey key;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        Directory directory = new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(),
                null, stores.adminTokens(), Clock.systemUTC(), new SecureRandom());
        tenancy = new Tenancy(stores.tenants(), stores.streams(), stores.apiKeys(), directory, Clock.systemUTC(),
                new SecureRandom());
        tenancy.addTenant(ACME);
        tenancy.addDomain(Optional.of(ACME), Domain.parse("acme.test"), Optional.empty());
        tenancy.addDomain(Optional.empty(), Domain.parse("other.test"), Optional.empty());
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.setIdentification(ACME, "Acme Inc., 1 Main St, Toronto ON, help@acme.test");
        key = tenancy.createKey(ACME, Optional.empty()).key();
        sending = new KeySending(tenancy);
    }

    @Test
    void broadcastMailOfATenantWhoseIdentificationIsIncompleteIsRefusedNamingWhatIsMissing() {
        tenancy.setIdentification(ACME, "Acme Inc.");
        String missing = "broadcast mail must identify its sender (CASL 6(2)); tenant acme's identification lacks:"
                + " mailing address; telephone number, email address or web address (petrel tenant set acme"
                + " --identification TEXT)";
        KeySending.Verdict data = sending.submission(key.identity(),
                bytes("From: a@acme.test\r\nX-Petrel-Stream: news\r\n\r\nx\r\n"));
        assertEquals("550 5.7.1 Message refused: " + missing,
                assertInstanceOf(KeySending.Verdict.Refused.class, data).reply().summary());
        KeySending.Grant.Denied d = assertInstanceOf(KeySending.Grant.Denied.class, sending.grant(key,
                Domain.parse("acme.test"), Domain.parse("acme.test"), Optional.of("news"), null, Map.of()));
        assertEquals(KeySending.Denial.IDENTIFICATION_INCOMPLETE, d.denial());
        assertEquals(missing, d.message());
        // transactional mail, and mail on no stream, needs none
        assertInstanceOf(KeySending.Verdict.Accepted.class, sending.submission(key.identity(),
                bytes("From: a@acme.test\r\n\r\nx\r\n")));
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theEnvelopeSenderMustBeOfTheKeysTenant() {
        assertEquals(Decision.ACCEPT, sending.mailFrom(key.identity(), ReversePath.of(Address.of("a@acme.test"))));
        Decision other = sending.mailFrom(key.identity(), ReversePath.of(Address.of("a@other.test")));
        assertEquals("550 5.7.1 Sender address rejected: other.test is not a domain of tenant acme",
                assertInstanceOf(Decision.Reject.class, other).reply().summary());
        Decision none = sending.mailFrom(key.identity(), ReversePath.NULL);
        assertEquals("550 5.7.1 Sender address rejected: a null sender is not allowed for an API key",
                assertInstanceOf(Decision.Reject.class, none).reply().summary());
    }

    @Test
    void aKeyRevokedDuringTheSessionIsRefusedAtTheNextStep() {
        tenancy.revokeKey(key.id());
        Decision mail = sending.mailFrom(key.identity(), ReversePath.of(Address.of("a@acme.test")));
        assertEquals("550 5.7.1 API key revoked", assertInstanceOf(Decision.Reject.class, mail).reply().summary());
        KeySending.Verdict data = sending.submission(key.identity(), bytes("From: a@acme.test\r\n\r\nx\r\n"));
        assertEquals("550 5.7.1 API key revoked",
                assertInstanceOf(KeySending.Verdict.Refused.class, data).reply().summary());
    }

    @Test
    void aStreamPausedForItsReputationTakesNoNewMailAndOnePausedByAnOperatorDoes() {
        byte[] in = bytes("From: ann@acme.test\r\nX-Petrel-Stream: news\r\n\r\nx\r\n");
        assertTrue(tenancy.setPaused(ACME, "news", true));
        assertInstanceOf(KeySending.Verdict.Accepted.class, sending.submission(key.identity(), in),
                "an operator's pause holds the mail back; it still takes it");
        assertInstanceOf(KeySending.Grant.Granted.class, sending.grant(key, Domain.parse("acme.test"),
                Domain.parse("acme.test"), Optional.of("news"), null, Map.of()));
        assertTrue(tenancy.setPaused(ACME, "news", false));
        assertTrue(tenancy.pauseForReputation(ACME, "news", "hard_bounce_rate", "2 hard bounces of 20 recipients"));
        String why = "stream news of tenant acme is paused since "
                + tenancy.stream(ACME, "news").orElseThrow().pause().at() + " for its reputation: hard_bounce_rate: 2"
                + " hard bounces of 20 recipients; it takes mail again once resumed (petrel stream resume, or the"
                + " admin API)";
        assertEquals("451 4.7.1 Message refused for now: " + why, assertInstanceOf(KeySending.Verdict.Refused.class,
                sending.submission(key.identity(), in)).reply().summary());
        KeySending.Grant.Denied denied = assertInstanceOf(KeySending.Grant.Denied.class, sending.grant(key,
                Domain.parse("acme.test"), Domain.parse("acme.test"), Optional.of("news"), null, Map.of()));
        assertEquals(new KeySending.Grant.Denied(KeySending.Denial.STREAM_PAUSED, why), denied);
        ApiKey newsKey = tenancy.createKey(ACME, Optional.of("news")).key();
        assertEquals("451 4.7.1 Message refused for now: " + why, assertInstanceOf(Decision.Defer.class,
                sending.admit(newsKey.identity())).reply().summary(), "a key of the stream hears it at RCPT");
        assertEquals(Decision.ACCEPT, sending.admit(key.identity()), "a key of any stream chooses later");
        assertTrue(tenancy.setPaused(ACME, "news", false));
        assertInstanceOf(KeySending.Verdict.Accepted.class, sending.submission(key.identity(), in), "resumed");
    }

    @Test
    void petrelHeadersLabelTheMessageAndAreTakenOutFoldedLinesAndAll() {
        byte[] in = bytes("X-Petrel-Tag: welcome\r\nFrom: \"Ann (sales)\" <ann@ACME.test>\r\nx-petrel-stream: news\r\n"
                + "X-Petrel-Metadata-Order: 42\r\nX-Petrel-Metadata-note: two\r\n lines\r\nSubject: hi\r\n"
                + "X-Petrel-Unknown: dropped too\r\n\r\nX-Petrel-Tag: in the body stays\r\n");
        KeySending.Verdict.Accepted a = assertInstanceOf(KeySending.Verdict.Accepted.class,
                sending.submission(key.identity(), in));
        assertEquals(new SendContext("acme", "news", "welcome", Map.of("Order", "42", "note", "two lines")),
                a.context());
        assertEquals(List.of("Order", "note"), List.copyOf(a.context().metadata().keySet()), "in their order");
        assertArrayEquals(bytes("From: \"Ann (sales)\" <ann@ACME.test>\r\nSubject: hi\r\n\r\n"
                + "X-Petrel-Tag: in the body stays\r\n"), a.content());
    }

    @Test
    void withoutPetrelHeadersTheMessageIsUnchangedAndGoesOnTheKeysOwnStream() {
        byte[] in = bytes("From: ann@acme.test\r\nSubject: hi\r\n\r\nbody\r\n");
        KeySending.Verdict.Accepted a = assertInstanceOf(KeySending.Verdict.Accepted.class,
                sending.submission(key.identity(), in));
        assertEquals(new SendContext("acme", null, null, Map.of()), a.context());
        assertArrayEquals(in, a.content());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // (a ; separates header lines) another tenant's domain, or none Petrel knows
        "From: ann@other.test|550 5.7.1 Sender address rejected: other.test is not a domain of tenant acme",
        "From: Ann <ann@nowhere.test>|550 5.7.1 Sender address rejected: nowhere.test is not a domain of tenant acme",
        // no From at all, or none that can be read
        "Subject: no from|550 5.7.1 Message refused: no readable From address",
        "From: undisclosed|550 5.7.1 Message refused: no readable From address",
        // streams: none of that name in the tenant
        "From: ann@acme.test;X-Petrel-Stream: promo|550 5.7.1 Message refused: no stream promo for this API key's"
                + " tenant",
    })
    void refusalsAtTheEndOfData(String head, String reply) {
        byte[] message = bytes(head.replace(";", "\r\n") + "\r\n\r\nbody\r\n");
        KeySending.Verdict v = sending.submission(key.identity(), message);
        assertEquals(reply, assertInstanceOf(KeySending.Verdict.Refused.class, v).reply().summary());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ann@acme.test|acme.test",
        "Ann <ann@acme.test>|acme.test",
        "\"Smith, Ann\" <ann@Acme.Test>, bob@other.test|acme.test",
        "ann@acme.test (Ann)|acme.test",
        "(comment) Ann <ann@acme.test> (more)|acme.test",
    })
    void theFirstFromMailboxsDomainCounts(String value, String domain) {
        HeaderSection fields = HeaderSection.read(bytes("From: " + value + "\r\n\r\n"));
        assertEquals(Optional.of(Domain.parse(domain)), KeySending.fromDomain(fields));
    }

    @Test
    void relayPolicyHandsKeyClientsToKeySendingAndOthersThrough() throws Exception {
        RelayPolicy policy = new RelayPolicy(stores.users(), null, List.of(), sending);
        Client keyed = new Client(InetAddress.getLoopbackAddress(), key.identity());
        assertEquals(Decision.ACCEPT, policy.mailFrom(keyed, ReversePath.of(Address.of("a@acme.test"))));
        assertInstanceOf(Decision.Reject.class, policy.mailFrom(keyed, ReversePath.of(Address.of("a@other.test"))));
        byte[] in = bytes("From: ann@acme.test\r\nX-Petrel-Tag: t\r\n\r\nbody\r\n");
        Client user = new Client(InetAddress.getLoopbackAddress(), "ann@acme.test");
        KeySending.Verdict.Accepted asUser = assertInstanceOf(KeySending.Verdict.Accepted.class,
                policy.submission(user, in));
        assertEquals(SendContext.EMPTY, asUser.context());
        assertArrayEquals(in, asUser.content(), "a user's message is not touched");
        assertTrue(assertInstanceOf(KeySending.Verdict.Accepted.class, policy.submission(keyed, in)).context().tag()
                .equals("t"));
        RelayPolicy without = new RelayPolicy(stores.users(), null, List.of());
        assertEquals("550 5.7.1 API keys are not accepted here", assertInstanceOf(KeySending.Verdict.Refused.class,
                without.submission(keyed, in)).reply().summary());
    }

    @Test
    void aKeysMessageIsAdmittedByItsTenantsLimitsAtRcptAndByAChosenStreamsAtTheEndOfData() throws Exception {
        SendLimits limits = new SendLimits(tenancy, stores.sendCounts(), Clock.systemUTC(), System::nanoTime,
                new SimpleMeterRegistry());
        KeySending limited = new KeySending(tenancy, limits);
        tenancy.setLimits(ACME, "news", null, 1L);
        tenancy.setLimits(ACME, null, 3L);
        byte[] onNews = bytes("From: ann@acme.test\r\nX-Petrel-Stream: news\r\n\r\nbody\r\n");
        assertEquals(Decision.ACCEPT, limited.admit(key.identity()));
        assertInstanceOf(KeySending.Verdict.Accepted.class, limited.submission(key.identity(), onNews));
        assertEquals(Decision.ACCEPT, limited.admit(key.identity()));
        KeySending.Verdict over = limited.submission(key.identity(), onNews);
        assertEquals("451 4.7.1 Daily quota reached: stream news of tenant acme may send 1 message a day (UTC); try"
                + " again after " + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z",
                assertInstanceOf(KeySending.Verdict.Refused.class, over).reply().summary());
        assertEquals(Decision.ACCEPT, limited.admit(key.identity()));
        Decision quota = limited.admit(key.identity());
        assertTrue(assertInstanceOf(Decision.Defer.class, quota).reply().summary()
                .startsWith("451 4.7.1 Daily quota reached: tenant acme may send 3 messages a day (UTC)"),
                quota.toString());
        RelayPolicy policy = new RelayPolicy(stores.users(), null, List.of(), limited);
        assertInstanceOf(Decision.Defer.class, policy.admitMessage(new Client(InetAddress.getLoopbackAddress(),
                key.identity())));
        assertEquals(Decision.ACCEPT, policy.admitMessage(new Client(InetAddress.getLoopbackAddress(),
                "ann@acme.test")), "a user has no send limits");
        tenancy.revokeKey(key.id());
        assertEquals("550 5.7.1 API key revoked",
                assertInstanceOf(Decision.Reject.class, limited.admit(key.identity())).reply().summary());
    }
}
