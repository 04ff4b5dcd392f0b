package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.Domains;
import dev.petrel.mail.Domain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link Domains} store does, whatever keeps it. */
abstract class DomainsContract extends StoreContract {

    private static final Domain EXAMPLE = Domain.parse("example.com");

    private Domains domains() {
        return store.domains();
    }

    @Test
    void anAddedDomainIsFoundWithItsKind() {
        assertTrue(domains().add(new DomainEntry(EXAMPLE, true)));
        assertTrue(domains().add(new DomainEntry(Domain.parse("example.net"), false)));
        assertEquals(new DomainEntry(EXAMPLE, true), domains().domain(Domain.parse("EXAMPLE.com")).orElseThrow());
        assertTrue(domains().isLocal(EXAMPLE));
        assertFalse(domains().isLocal(Domain.parse("example.net")));
        assertFalse(domains().isLocal(Domain.parse("unknown.example")));
        assertTrue(domains().domain(Domain.parse("unknown.example")).isEmpty());
    }

    @Test
    void addingADomainThatExistsChangesNothing() {
        // `petrel domain add localhost` once made the local domain a sending one
        domains().add(new DomainEntry(EXAMPLE, true));
        assertFalse(domains().add(new DomainEntry(EXAMPLE, false)));
        assertTrue(domains().isLocal(EXAMPLE));
        assertEquals(1, domains().domains().size());
    }

    @Test
    void theKindOfADomainThatExistsCanBeChanged() {
        assertFalse(domains().setLocal(EXAMPLE, true), "no such domain");
        assertTrue(domains().domain(EXAMPLE).isEmpty());
        domains().add(new DomainEntry(EXAMPLE, false));
        assertTrue(domains().setLocal(EXAMPLE, true));
        assertTrue(domains().isLocal(EXAMPLE));
        assertTrue(domains().setLocal(EXAMPLE, false));
        assertFalse(domains().isLocal(EXAMPLE));
    }

    @Test
    void domainsAreListedInTheOrderTheyWereAddedAndCanBeRemoved() {
        domains().add(new DomainEntry(Domain.parse("zeta.example"), false));
        domains().add(new DomainEntry(Domain.parse("bücher.example"), true));
        domains().add(new DomainEntry(EXAMPLE, true));
        assertEquals(List.of("zeta.example", "xn--bcher-kva.example", "example.com"),
                domains().domains().stream().map(d -> d.name().name()).toList());
        assertTrue(domains().remove(Domain.parse("zeta.example")));
        assertFalse(domains().remove(Domain.parse("zeta.example")));
        assertEquals(List.of(new DomainEntry(Domain.parse("xn--bcher-kva.example"), true), new DomainEntry(EXAMPLE, true)),
                domains().domains());
    }

    @Test
    void anotherHandleSeesEachChangeAtOnce() throws Exception {
        Domains server = store.domains();
        Domains cli = another().domains();
        cli.add(new DomainEntry(EXAMPLE, true));
        assertTrue(server.isLocal(EXAMPLE));
        cli.setLocal(EXAMPLE, false);
        assertFalse(server.isLocal(EXAMPLE));
        cli.remove(EXAMPLE);
        assertTrue(server.domain(EXAMPLE).isEmpty());
    }
}
