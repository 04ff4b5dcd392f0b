package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.User;
import dev.petrel.compliance.ReputationCounts;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.ApiKeySecrets;
import dev.petrel.tenant.ApiKeys;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.SendCounts;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenant;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of tenants, streams and API keys does; above all, that nothing of tenant A is ever returned,
 * changed or removed through tenant B, method by method.
 */
abstract class TenantsContract {

    private static final TenantId A = new TenantId("acme");
    private static final TenantId B = new TenantId("bravo");
    private static final Instant T = Instant.ofEpochMilli(1_700_000_000_000L);

    private Stores stores;

    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        stores = open();
        assertTrue(stores.tenants().add(new Tenant(A, "", T)));
        assertTrue(stores.tenants().add(new Tenant(B, "", T.plusMillis(1))));
    }

    @AfterEach
    final void closeStore() {
        stores.close();
    }

    @Test
    void theDefaultTenantIsThereFromTheStart() {
        assertTrue(stores.tenants().tenant(TenantId.DEFAULT).isPresent());
        assertEquals(List.of(TenantId.DEFAULT, A, B), stores.tenants().tenants().stream().map(Tenant::id).toList());
    }

    @Test
    void tenantsAreUniqueAndKeepTheirIdentification() {
        assertFalse(stores.tenants().add(new Tenant(A, "again", T)));
        assertTrue(stores.tenants().setIdentification(A, "Acme Inc., 1 Main St, Toronto"));
        assertEquals("Acme Inc., 1 Main St, Toronto", stores.tenants().tenant(A).orElseThrow().identification());
        assertEquals("", stores.tenants().tenant(B).orElseThrow().identification(), "B's is untouched");
        assertFalse(stores.tenants().setIdentification(new TenantId("nobody"), "x"));
        assertTrue(stores.tenants().remove(B));
        assertTrue(stores.tenants().tenant(B).isEmpty());
        assertTrue(stores.tenants().tenant(A).isPresent());
        assertFalse(stores.tenants().remove(B));
    }

    @Test
    void domainsAndUsersBelongToDefaultUntilGivenToATenant() {
        Domain acme = Domain.parse("acme.example");
        Domain bravo = Domain.parse("bravo.example");
        stores.domains().add(new DomainEntry(acme, false));
        stores.domains().add(new DomainEntry(bravo, false));
        Address alice = Address.of("Alice@acme.example");
        stores.users().add(User.withPassword(alice, "password1", new SecureRandom()));
        assertEquals(Optional.of(TenantId.DEFAULT), stores.tenants().tenantOf(acme));
        assertEquals(Optional.of(TenantId.DEFAULT), stores.tenants().tenantOf(alice));
        assertTrue(stores.tenants().assignDomain(A, acme));
        assertTrue(stores.tenants().assignDomain(B, bravo));
        assertTrue(stores.tenants().assignUser(A, Address.of("alice@acme.example")), "found without regard to case");
        assertEquals(List.of(acme), stores.tenants().domains(A));
        assertEquals(List.of(bravo), stores.tenants().domains(B));
        assertEquals(List.of(alice), stores.tenants().users(A));
        assertEquals(List.of(), stores.tenants().users(B));
        assertEquals(Optional.of(A), stores.tenants().tenantOf(acme));
        assertEquals(Optional.of(A), stores.tenants().tenantOf(alice));
        assertFalse(stores.tenants().assignDomain(A, Domain.parse("unknown.example")));
        assertFalse(stores.tenants().assignUser(A, Address.of("nobody@acme.example")));
        assertTrue(stores.tenants().tenantOf(Domain.parse("unknown.example")).isEmpty());
        // a user given again keeps its tenant
        stores.users().add(User.withPassword(alice, "password2", new SecureRandom()));
        assertEquals(Optional.of(A), stores.tenants().tenantOf(alice));
    }

    @Test
    void streamsAreUniquePerTenantAndSeenOnlyByTheirTenant() {
        Stream receipts = Stream.of(A, "receipts", Stream.Kind.TRANSACTIONAL, "192.0.2.1", "out.acme.example", T);
        assertTrue(stores.streams().add(receipts));
        assertFalse(stores.streams().add(Stream.of(A, "receipts", Stream.Kind.BROADCAST, null, null, T)));
        Stream bravoReceipts = Stream.of(B, "receipts", Stream.Kind.BROADCAST, null, null, T);
        assertTrue(stores.streams().add(bravoReceipts), "the same name in another tenant");
        assertEquals(Optional.of(receipts), stores.streams().stream(A, "receipts"));
        assertEquals(Optional.of(bravoReceipts), stores.streams().stream(B, "receipts"));
        assertEquals(List.of(receipts), stores.streams().streams(A));
        assertTrue(stores.streams().stream(TenantId.DEFAULT, "receipts").isEmpty());
        assertTrue(stores.streams().setPaused(A, "receipts", true));
        assertTrue(stores.streams().stream(A, "receipts").orElseThrow().paused());
        assertFalse(stores.streams().stream(B, "receipts").orElseThrow().paused(), "B's stream is untouched");
        assertFalse(stores.streams().setPaused(TenantId.DEFAULT, "receipts", true));
        assertTrue(stores.streams().setPaused(A, "receipts", false));
        assertFalse(stores.streams().stream(A, "receipts").orElseThrow().paused());
    }

    @Test
    void aReputationPauseKeepsItsReasonPausesOnlyARunningStreamAndAResumeForgetsIt() {
        assertTrue(stores.streams().add(Stream.of(A, "news", Stream.Kind.BROADCAST, null, null, T)));
        assertTrue(stores.streams().add(Stream.of(B, "news", Stream.Kind.BROADCAST, null, null, T)));
        Stream.Pause pause = new Stream.Pause("hard_bounce_rate", "31 hard bounces of 500 recipients", T.plusSeconds(60));
        assertTrue(stores.streams().pause(A, "news", pause));
        assertFalse(stores.streams().pause(A, "news", pause), "paused already: reported once");
        Stream paused = stores.streams().stream(A, "news").orElseThrow();
        assertTrue(paused.paused());
        assertEquals(pause, paused.pause());
        assertEquals(null, stores.streams().stream(B, "news").orElseThrow().pause(), "B's stream is untouched");
        assertFalse(stores.streams().pause(TenantId.DEFAULT, "news", pause));
        Instant resumed = T.plusSeconds(120);
        assertTrue(stores.streams().resume(A, "news", resumed));
        Stream running = stores.streams().stream(A, "news").orElseThrow();
        assertFalse(running.paused());
        assertEquals(null, running.pause());
        assertEquals(resumed, running.resumed());
        assertEquals(null, stores.streams().stream(B, "news").orElseThrow().resumed());
        // an operator's pause has no reason, and keeps a reputation pause from being reported over it
        assertTrue(stores.streams().setPaused(A, "news", true));
        assertEquals(null, stores.streams().stream(A, "news").orElseThrow().pause());
        assertFalse(stores.streams().pause(A, "news", pause));
        assertFalse(stores.streams().resume(B, "nope", resumed));
    }

    @Test
    void reputationCountsAreKeptPerTenantAndStreamWithTheCursorTheyCountUpTo() {
        assertTrue(stores.streams().add(Stream.of(A, "news", Stream.Kind.BROADCAST, null, null, T)));
        assertTrue(stores.streams().add(Stream.of(B, "news", Stream.Kind.BROADCAST, null, null, T)));
        ReputationCounts counts = stores.reputationCounts();
        assertEquals(0, counts.counted());
        List<ReputationCounts.Step> steps = List.of(new ReputationCounts.Step(T, 500, 31, 2),
                new ReputationCounts.Step(T.plusSeconds(3600), 20, 0, 1));
        counts.save(List.of(new ReputationCounts.Stream(A, "news", steps),
                new ReputationCounts.Stream(A, "gone", steps)), 42);
        assertEquals(steps, counts.steps(A, "news"));
        assertEquals(List.of(), counts.steps(B, "news"), "B's stream of the same name has none");
        assertEquals(List.of(), counts.steps(A, "gone"), "a stream that does not exist keeps none");
        assertEquals(42, counts.counted());
        counts.save(List.of(new ReputationCounts.Stream(A, "news", steps.subList(1, 2))), 43);
        assertEquals(steps.subList(1, 2), counts.steps(A, "news"), "the steps are replaced");
        assertEquals(43, counts.counted());
    }

    @Test
    void aStreamKeepsItsEgressPoolAndItsSandboxIsSetForItsTenantOnly() {
        Stream news = Stream.of(A, "news", Stream.Kind.BROADCAST, null, null, "bulk", T);
        assertTrue(stores.streams().add(news));
        assertTrue(stores.streams().add(Stream.of(B, "news", Stream.Kind.BROADCAST, null, null, T)));
        assertEquals(Optional.of(news), stores.streams().stream(A, "news"));
        assertEquals("bulk", stores.streams().stream(A, "news").orElseThrow().egress());
        assertTrue(stores.streams().setSandbox(A, "news", true));
        assertTrue(stores.streams().stream(A, "news").orElseThrow().sandbox());
        assertFalse(stores.streams().stream(B, "news").orElseThrow().sandbox(), "B's stream is untouched");
        assertFalse(stores.streams().setSandbox(TenantId.DEFAULT, "news", true), "a foreign or missing stream");
        assertTrue(stores.streams().setSandbox(A, "news", false));
        assertFalse(stores.streams().stream(A, "news").orElseThrow().sandbox());
    }

    @Test
    void removingATenantRemovesItsStreams() {
        stores.streams().add(Stream.of(B, "news", Stream.Kind.BROADCAST, null, null, T));
        assertTrue(stores.tenants().remove(B));
        assertTrue(stores.streams().streams(B).isEmpty());
    }

    @Test
    void keysAreStoredAsHashesAndSeenOnlyByTheirTenant() {
        stores.streams().add(Stream.of(A, "receipts", Stream.Kind.TRANSACTIONAL, null, null, T));
        ApiKey any = new ApiKey("abcdefgh", A, null, T);
        ApiKey scoped = new ApiKey("bcdefghi", A, "receipts", T.plusMillis(1));
        ApiKey bravo = new ApiKey("cdefghij", B, null, T.plusMillis(2));
        byte[] hash = ApiKeySecrets.hash("pk_abcdefgh_x");
        assertTrue(stores.apiKeys().add(any, hash));
        assertTrue(stores.apiKeys().add(scoped, ApiKeySecrets.hash("y")));
        assertTrue(stores.apiKeys().add(bravo, ApiKeySecrets.hash("z")));
        assertFalse(stores.apiKeys().add(new ApiKey("abcdefgh", B, null, T), hash), "ids are unique");
        assertEquals(List.of(any, scoped), stores.apiKeys().keys(A));
        assertEquals(List.of(bravo), stores.apiKeys().keys(B));
        assertEquals(Optional.of(any), stores.apiKeys().key(A, "abcdefgh"));
        assertTrue(stores.apiKeys().key(B, "abcdefgh").isEmpty(), "A's key through B");
        ApiKeys.Hashed found = stores.apiKeys().find("abcdefgh").orElseThrow();
        assertEquals(any, found.key());
        assertArrayEquals(hash, found.hash());
        assertFalse(stores.apiKeys().revoke(B, "abcdefgh"), "B cannot revoke A's key");
        assertTrue(stores.apiKeys().find("abcdefgh").isPresent());
        assertTrue(stores.apiKeys().revoke(A, "abcdefgh"));
        assertTrue(stores.apiKeys().find("abcdefgh").isEmpty());
        assertEquals(List.of(scoped), stores.apiKeys().keys(A));
        assertFalse(stores.apiKeys().revoke(A, "abcdefgh"));
    }

    @Test
    void aKeyForAStreamTheTenantDoesNotHaveIsRefusedByTheSchema() {
        stores.streams().add(Stream.of(B, "news", Stream.Kind.BROADCAST, null, null, T));
        ApiKey foreign = new ApiKey("defghijk", A, "news", T);
        try {
            stores.apiKeys().add(foreign, ApiKeySecrets.hash("w"));
        } catch (StoreException e) {
            // the foreign key of (tenant, stream) refuses it
        }
        assertTrue(stores.apiKeys().find("defghijk").isEmpty());
    }

    @Test
    void limitsAreSetOnOneTenantOrStreamAndTouchNoOther() {
        assertEquals(Limits.NONE, stores.tenants().tenant(A).orElseThrow().limits());
        assertTrue(stores.tenants().setLimits(A, new Limits(10, 5000)));
        assertEquals(new Limits(10, 5000), stores.tenants().tenant(A).orElseThrow().limits());
        assertEquals(Limits.NONE, stores.tenants().tenant(B).orElseThrow().limits());
        assertFalse(stores.tenants().setLimits(new TenantId("nobody"), new Limits(1, 1)));
        stores.streams().add(Stream.of(A, "news", Stream.Kind.BROADCAST, null, null, T));
        stores.streams().add(Stream.of(B, "news", Stream.Kind.BROADCAST, null, null, T));
        assertTrue(stores.streams().setLimits(A, "news", new Limits(2, 0)));
        assertEquals(new Limits(2, 0), stores.streams().stream(A, "news").orElseThrow().limits());
        assertEquals(Limits.NONE, stores.streams().stream(B, "news").orElseThrow().limits(), "B's stream");
        assertFalse(stores.streams().setLimits(TenantId.DEFAULT, "news", new Limits(1, 1)));
    }

    @Test
    void sendCountsAddUpPerTenantStreamAndDayAndGoWithTheirTenant() {
        LocalDate day = LocalDate.of(2026, 11, 28);
        SendCounts counts = stores.sendCounts();
        assertEquals(List.of(new SendCounts.Count(null, 3), new SendCounts.Count("news", 2)),
                counts.add(A, day, List.of(new SendCounts.Count(null, 3), new SendCounts.Count("news", 2))));
        assertEquals(List.of(new SendCounts.Count(null, 7)), counts.add(A, day, List.of(new SendCounts.Count(null, 4))),
                "added to what is there, as another server's flush would be");
        counts.add(B, day, List.of(new SendCounts.Count(null, 100)));
        counts.add(A, day.plusDays(1), List.of(new SendCounts.Count(null, 1)));
        assertEquals(7, counts.count(A, null, day));
        assertEquals(2, counts.count(A, "news", day));
        assertEquals(1, counts.count(A, null, day.plusDays(1)));
        assertEquals(100, counts.count(B, null, day), "each tenant has its own");
        assertEquals(0, counts.count(B, "news", day));
        assertTrue(stores.tenants().remove(B));
        assertEquals(0, counts.count(B, null, day), "a removed tenant's counts go with it");
        assertEquals(7, counts.count(A, null, day));
    }
}
