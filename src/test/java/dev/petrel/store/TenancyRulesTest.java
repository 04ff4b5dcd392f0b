package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Directory;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tenancy rules the command line and the APIs share, on the embedded store. */
class TenancyRulesTest {

    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId BRAVO = new TenantId("bravo");

    @TempDir
    Path dir;

    private Stores stores;
    private Tenancy tenancy;

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        Directory directory = new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(),
                null, stores.adminTokens(), Clock.systemUTC(), new SecureRandom());
        tenancy = new Tenancy(stores.tenants(), stores.streams(), stores.apiKeys(), directory, Clock.systemUTC(),
                new SecureRandom());
        tenancy.addTenant(ACME);
        tenancy.addTenant(BRAVO);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void theDefaultTenantAlwaysExistsAndCannotBeRemoved() {
        assertTrue(tenancy.tenant(TenantId.DEFAULT).isPresent());
        assertEquals("the tenant default always exists; it cannot be removed",
                message(() -> tenancy.removeTenant(TenantId.DEFAULT)));
        assertEquals("there is a tenant named default already", message(() -> tenancy.addTenant(TenantId.DEFAULT)));
    }

    @Test
    void tenantNamesAreLowerCaseNamesAndParsedWithoutRegardToCase() {
        assertEquals(ACME, TenantId.parse("ACME"));
        assertThrows(IllegalArgumentException.class, () -> new TenantId("Acme"));
        assertThrows(IllegalArgumentException.class, () -> TenantId.parse("-acme"));
        assertThrows(IllegalArgumentException.class, () -> TenantId.parse("a".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> TenantId.parse(""));
    }

    @Test
    void aTenantThatStillOwnsSomethingIsNotRemovedAndTheMessageSaysWhat() {
        tenancy.addUser(Optional.of(ACME), Address.of("ann@acme.test"), "a good password");
        tenancy.addStream(ACME, "receipts", Stream.Kind.TRANSACTIONAL, null, null);
        tenancy.createKey(ACME, Optional.empty());
        assertEquals("tenant acme still has 1 user(s), 1 domain(s), 1 API key(s); remove or revoke them first",
                message(() -> tenancy.removeTenant(ACME)));
        assertTrue(tenancy.tenant(ACME).isPresent());
        // streams alone go with their tenant
        tenancy.addStream(BRAVO, "news", Stream.Kind.BROADCAST, null, null);
        assertTrue(tenancy.removeTenant(BRAVO));
        assertFalse(tenancy.removeTenant(BRAVO));
        assertTrue(tenancy.streams(BRAVO).isEmpty());
    }

    @Test
    void usersAndDomainsStayInTheirTenant() {
        tenancy.addDomain(Optional.of(ACME), Domain.parse("acme.test"), Optional.empty());
        assertEquals(Optional.of(ACME), tenancy.tenantOf(Domain.parse("acme.test")));
        tenancy.addDomain(Optional.empty(), Domain.parse("acme.test"), Optional.of(true));
        assertEquals(Optional.of(ACME), tenancy.tenantOf(Domain.parse("acme.test")), "kept without --tenant");
        assertEquals("domain acme.test belongs to tenant acme",
                message(() -> tenancy.addDomain(Optional.of(BRAVO), Domain.parse("acme.test"), Optional.empty())));
        assertEquals("domain acme.test belongs to tenant acme, not bravo", message(() ->
                tenancy.addUser(Optional.of(BRAVO), Address.of("x@acme.test"), "a good password")));
        tenancy.addUser(Optional.empty(), Address.of("ann@acme.test"), "a good password");
        assertEquals(Optional.of(ACME), tenancy.tenantOf(Address.of("ann@acme.test")),
                "a new user without a tenant goes to its domain's");
        tenancy.addUser(Optional.empty(), Address.of("cy@new.test"), "a good password");
        assertEquals(Optional.of(TenantId.DEFAULT), tenancy.tenantOf(Address.of("cy@new.test")), "or to default");
        assertEquals(Optional.of(TenantId.DEFAULT), tenancy.tenantOf(Domain.parse("new.test")));
        tenancy.addUser(Optional.of(BRAVO), Address.of("bob@bravo.test"), "a good password");
        assertEquals(List.of(Domain.parse("bravo.test")), tenancy.domains(BRAVO), "a new domain follows its user");
        tenancy.addUser(Optional.empty(), Address.of("bob@bravo.test"), "another password");
        assertEquals(Optional.of(BRAVO), tenancy.tenantOf(Address.of("bob@bravo.test")), "a new password, same tenant");
        assertEquals("user bob@bravo.test belongs to tenant bravo", message(() ->
                tenancy.addUser(Optional.of(ACME), Address.of("bob@bravo.test"), "a good password")));
        assertEquals("no tenant nobody (petrel tenant add nobody)", message(() ->
                tenancy.addDomain(Optional.of(new TenantId("nobody")), Domain.parse("x.test"), Optional.empty())));
        assertTrue(tenancy.tenantOf(Domain.parse("x.test")).isEmpty(), "nothing added for a missing tenant");
    }

    @Test
    void streamNamesAreUniquePerTenant() {
        tenancy.addStream(ACME, "receipts", Stream.Kind.TRANSACTIONAL, "192.0.2.7", "out.acme.test");
        assertEquals("tenant acme has a stream named receipts already",
                message(() -> tenancy.addStream(ACME, "receipts", Stream.Kind.BROADCAST, null, null)));
        tenancy.addStream(BRAVO, "receipts", Stream.Kind.TRANSACTIONAL, null, null);
        assertEquals(1, tenancy.streams(BRAVO).size());
        assertTrue(message(() -> tenancy.addStream(ACME, "Bad Name", Stream.Kind.BROADCAST, null, null))
                .startsWith("a stream name is 1 to 64 lower-case letters"));
        assertTrue(tenancy.setPaused(ACME, "receipts", true));
        assertFalse(tenancy.setPaused(ACME, "news", true));
    }

    @Test
    void keysAreRandomHashedScopedAndRevokedAtOnce() {
        tenancy.addStream(ACME, "receipts", Stream.Kind.TRANSACTIONAL, null, null);
        assertEquals("tenant acme has no stream news (petrel stream add acme news --kind transactional|broadcast)",
                message(() -> tenancy.createKey(ACME, Optional.of("news"))));
        assertEquals("tenant bravo has no stream receipts (petrel stream add bravo receipts --kind"
                + " transactional|broadcast)", message(() -> tenancy.createKey(BRAVO, Optional.of("receipts"))));
        Tenancy.IssuedKey any = tenancy.createKey(ACME, Optional.empty());
        Tenancy.IssuedKey scoped = tenancy.createKey(ACME, Optional.of("receipts"));
        // pk_ + 8-character id + _ + 43 base64url characters: 256 random bits
        assertTrue(any.secret().matches("pk_" + any.key().id() + "_[A-Za-z0-9_-]{43}"), any.secret());
        assertEquals(Optional.of(any.key()), tenancy.verifyKey(any.secret()));
        assertEquals("receipts", tenancy.verifyKey(scoped.secret()).orElseThrow().stream());
        String wrong = any.secret().substring(0, any.secret().length() - 1) + (any.secret().endsWith("A") ? "B" : "A");
        assertTrue(tenancy.verifyKey(wrong).isEmpty());
        assertTrue(tenancy.verifyKey("pat_" + any.secret().substring(3)).isEmpty(), "an admin token's form");
        assertTrue(tenancy.verifyKey(null).isEmpty());
        assertFalse(tenancy.revokeKey(BRAVO, any.key().id()), "another tenant cannot revoke it");
        assertTrue(tenancy.verifyKey(any.secret()).isPresent());
        assertTrue(tenancy.revokeKey(any.key().id()));
        assertTrue(tenancy.verifyKey(any.secret()).isEmpty(), "revoked: fails at once");
        assertTrue(tenancy.key(any.key().id()).isEmpty());
        assertFalse(tenancy.revokeKey(any.key().id()));
        assertEquals(List.of(scoped.key()), tenancy.keys(ACME));
        assertTrue(tenancy.keys(BRAVO).isEmpty());
    }

    @Test
    void aKeyChoosesAStreamOnlyWhenItIsNotScopedToOne() {
        tenancy.addStream(ACME, "receipts", Stream.Kind.TRANSACTIONAL, null, null);
        tenancy.addStream(ACME, "news", Stream.Kind.BROADCAST, null, null);
        tenancy.addStream(BRAVO, "promo", Stream.Kind.BROADCAST, null, null);
        ApiKey any = tenancy.createKey(ACME, Optional.empty()).key();
        ApiKey scoped = tenancy.createKey(ACME, Optional.of("receipts")).key();
        assertTrue(tenancy.streamFor(any, Optional.empty()).isEmpty());
        assertEquals("news", tenancy.streamFor(any, Optional.of("news")).orElseThrow().name());
        assertEquals("receipts", tenancy.streamFor(scoped, Optional.empty()).orElseThrow().name());
        assertEquals("receipts", tenancy.streamFor(scoped, Optional.of("receipts")).orElseThrow().name());
        assertEquals("this API key may send only on stream receipts, not news",
                message(() -> tenancy.streamFor(scoped, Optional.of("news"))));
        assertEquals("no stream promo for this API key's tenant",
                message(() -> tenancy.streamFor(any, Optional.of("promo"))), "another tenant's stream");
    }

    @Test
    void aKeyMayUseOnlyItsTenantsDomains() {
        tenancy.addDomain(Optional.of(ACME), Domain.parse("acme.test"), Optional.empty());
        tenancy.addDomain(Optional.of(BRAVO), Domain.parse("bravo.test"), Optional.empty());
        ApiKey key = tenancy.createKey(ACME, Optional.empty()).key();
        assertTrue(tenancy.mayUseDomain(key, Domain.parse("acme.test")));
        assertFalse(tenancy.mayUseDomain(key, Domain.parse("bravo.test")));
        assertFalse(tenancy.mayUseDomain(key, Domain.parse("unknown.test")));
    }

    @Test
    void theIdentificationIsTextOfReasonableLength() {
        assertTrue(tenancy.setIdentification(ACME, "Acme Inc.\n1 Main St, Toronto"));
        assertEquals("Acme Inc.\n1 Main St, Toronto", tenancy.tenant(ACME).orElseThrow().identification());
        assertFalse(tenancy.setIdentification(new TenantId("nobody"), "x"));
        assertThrows(IllegalArgumentException.class, () -> tenancy.setIdentification(ACME, " "));
        assertThrows(IllegalArgumentException.class, () -> tenancy.setIdentification(ACME, "x".repeat(1001)));
        assertThrows(IllegalArgumentException.class, () -> tenancy.setIdentification(ACME, "bell\u0007"));
    }
}
