package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Alias;
import dev.petrel.account.Aliases;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link Aliases} store does, whatever keeps it. */
abstract class AliasesContract extends StoreContract {

    private static final Domain EXAMPLE = Domain.parse("example.com");

    private Aliases aliases() {
        return store.aliases();
    }

    private static Alias alias(String source, String... targets) {
        return Alias.parse(source, Arrays.stream(targets).map(Address::of).toList());
    }

    private static List<String> targets(Alias a) {
        return a.targets().stream().map(Address::toString).toList();
    }

    @Test
    void anAliasIsFoundWithoutRegardToTheCaseOfItsLocalPart() {
        aliases().add(alias("Sales@example.com", "alice@example.com", "bob@remote.test"));
        Alias sales = aliases().alias("SALES", EXAMPLE).orElseThrow();
        assertEquals("Sales@example.com", sales.source());
        assertEquals(List.of("alice@example.com", "bob@remote.test"), targets(sales));
        assertTrue(aliases().alias("sales", Domain.parse("example.net")).isEmpty());
        assertTrue(aliases().alias(null, EXAMPLE).isEmpty(), "an alias is not the catch-all");
    }

    @Test
    void theCatchAllIsTheAliasWithoutALocalPart() {
        aliases().add(alias("@example.com", "boss@example.com"));
        Alias all = aliases().alias(null, EXAMPLE).orElseThrow();
        assertTrue(all.catchAll());
        assertEquals("@example.com", all.source());
        assertTrue(aliases().alias("anyone", EXAMPLE).isEmpty());
    }

    @Test
    void addingToAnAliasKeepsItsSpellingAndAddsOnlyNewTargetsInOrder() {
        aliases().add(alias("Sales@example.com", "alice@example.com"));
        Alias stored = aliases().add(alias("sales@example.com", "bob@remote.test", "alice@example.com",
                "carol@example.com"));
        assertEquals("Sales@example.com", stored.source());
        assertEquals(List.of("alice@example.com", "bob@remote.test", "carol@example.com"), targets(stored));
        assertEquals(stored, aliases().alias("sales", EXAMPLE).orElseThrow());
        assertEquals(1, aliases().aliases().size());
    }

    @Test
    void aliasesAreListedInTheOrderTheyWereAddedAndRemovedWhole() {
        aliases().add(alias("zed@example.com", "a@example.com"));
        aliases().add(alias("@example.com", "b@example.com", "c@example.com"));
        aliases().add(alias("ann@example.net", "d@example.com"));
        assertEquals(List.of("zed@example.com", "@example.com", "ann@example.net"),
                aliases().aliases().stream().map(Alias::source).toList());
        assertEquals(List.of("b@example.com", "c@example.com"), targets(aliases().aliases().get(1)));
        assertTrue(aliases().remove(null, EXAMPLE));
        assertFalse(aliases().remove(null, EXAMPLE));
        assertTrue(aliases().remove("ZED", EXAMPLE));
        assertEquals(List.of("ann@example.net"), aliases().aliases().stream().map(Alias::source).toList());
        // a removed alias added again starts afresh
        aliases().add(alias("zed@example.com", "e@example.com"));
        assertEquals(List.of("e@example.com"), targets(aliases().alias("zed", EXAMPLE).orElseThrow()));
    }

    @Test
    void anotherHandleSeesEachChangeAtOnce() throws Exception {
        Aliases server = store.aliases();
        Aliases cli = another().aliases();
        cli.add(alias("info@example.com", "a@example.com"));
        assertEquals(List.of("a@example.com"), targets(server.alias("info", EXAMPLE).orElseThrow()));
        cli.add(alias("info@example.com", "b@example.com"));
        assertEquals(List.of("a@example.com", "b@example.com"), targets(server.alias("info", EXAMPLE).orElseThrow()));
        cli.remove("info", EXAMPLE);
        assertTrue(server.alias("info", EXAMPLE).isEmpty());
    }
}
