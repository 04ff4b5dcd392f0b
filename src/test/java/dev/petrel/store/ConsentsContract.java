package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.Consent;
import dev.petrel.compliance.ConsentUse;
import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every store of the consent ledger does: records only added, read back whole, never across tenants. */
abstract class ConsentsContract {

    private static final TenantId A = new TenantId("acme");
    private static final TenantId B = new TenantId("bravo");
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private Stores stores;

    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        stores = open();
    }

    @AfterEach
    final void closeStore() {
        stores.close();
    }

    private static Consent record(TenantId tenant, String to, Consent.Kind kind, Instant at) {
        return new Consent(0, tenant, to, kind, at, new Consent.Evidence("signup", "https://acme.example/join",
                "192.0.2.7", "Yes, send me news", "note"), "cli", at.plusSeconds(5));
    }

    @Test
    void recordsComeBackWholeWithTheirIdsInTheOrderWritten() {
        Consent first = stores.consents().add(record(A, "ann@x.test", Consent.Kind.EXPRESS, T), Optional.empty());
        Consent second = stores.consents().add(record(A, "ann@x.test", Consent.Kind.WITHDRAWAL, T.plusSeconds(60)),
                Optional.empty());
        assertTrue(first.id() > 0);
        assertTrue(second.id() > first.id());
        assertEquals(List.of(first, second), stores.consents().records(A, "ann@x.test"));
        assertEquals(record(A, "ann@x.test", Consent.Kind.EXPRESS, T), new Consent(0, first.tenant(),
                first.recipient(), first.kind(), first.at(), first.evidence(), first.source(), first.recorded()));
    }

    @Test
    void anotherTenantsRecordsAndUsesAreNeverRead() {
        stores.consents().add(record(A, "ann@x.test", Consent.Kind.EXPRESS, T), Optional.empty());
        Consent b = stores.consents().add(record(B, "bob@x.test", Consent.Kind.IMPLIED_INQUIRY, T), Optional.empty());
        assertEquals(List.of(), stores.consents().records(B, "ann@x.test"));
        assertEquals(List.of(b), stores.consents().records(B));
        stores.consents().used(A, List.of(new ConsentUse(A, "Q1", "ann@x.test", "news", 1, T)));
        assertEquals(List.of(), stores.consents().uses(B, Optional.empty()));
        assertEquals(List.of(), stores.consents().uses(B, Optional.of("ann@x.test")));
        assertEquals(1, stores.consents().uses(A, Optional.empty()).size());
    }

    @Test
    void aRecordOfAReferenceIsWrittenOncePerTenant() {
        Consent once = stores.consents().add(record(A, "ann@x.test", Consent.Kind.WITHDRAWAL, T), Optional.of("e:7"));
        Consent again = stores.consents().add(record(A, "ann@x.test", Consent.Kind.WITHDRAWAL, T.plusSeconds(1)),
                Optional.of("e:7"));
        assertEquals(once, again);
        assertEquals(1, stores.consents().records(A).size());
        Consent other = stores.consents().add(record(B, "ann@x.test", Consent.Kind.WITHDRAWAL, T), Optional.of("e:7"));
        assertNotEquals(once.id(), other.id());
    }

    @Test
    void usesAreKeptOncePerMessageAndRecipientAndReadPerRecipient() {
        ConsentUse ann = new ConsentUse(A, "Q1", "ann@x.test", "news", 4, T);
        ConsentUse bob = new ConsentUse(A, "Q2", "bob@x.test", "news", 0, T.plusSeconds(1));
        stores.consents().used(A, List.of(ann, bob));
        stores.consents().used(A, List.of(ann));
        assertEquals(List.of(ann, bob), stores.consents().uses(A, Optional.empty()));
        assertEquals(List.of(bob), stores.consents().uses(A, Optional.of("bob@x.test")));
    }
}
