package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Directory;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimTools;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules the command line and the admin API share, on the embedded store. */
class DirectoryRulesTest {

    @TempDir
    Path dir;

    private Stores stores;
    private Directory directory;

    // key pairs are not what is tested here: a stand-in that stores a made-up key
    private static final DkimTools TOOLS = new DkimTools() {
        @Override
        public DkimKeyEntry generate(Domain domain, String selector, String algorithm) {
            return new DkimKeyEntry(domain, selector == null ? "s1" : selector, algorithm, new byte[] {1}, true);
        }

        @Override
        public Published describe(DkimKeyEntry key) {
            return new Published(key.domain().name(), key.selector(), key.selector() + "._domainkey." + key.domain(),
                    key.keyType(), key.active(), "");
        }

        @Override
        public Report check(List<DkimKeyEntry> keys) {
            return new Report(List.of(), true, List.of());
        }
    };

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dir, List.of(), line -> {});
        directory = new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(), TOOLS,
                stores.adminTokens(), Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void aPasswordShorterThanEightCharactersIsRefused() {
        Address a = Address.of("ann@example.com");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> directory.addUser(a, "x"));
        assertTrue(e.getMessage().contains("at least 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> directory.addUser(a, "seven77"));
        assertTrue(directory.user(a).isEmpty());
        directory.addUser(a, "eight888");
        assertTrue(directory.user(a).isPresent());
    }

    @Test
    void anAliasToItselfIsRefusedWhateverTheCaseOfItsLocalPart() {
        assertThrows(IllegalArgumentException.class,
                () -> directory.addAlias("a@x.test", List.of(Address.of("A@x.test"))));
        assertTrue(directory.aliases().isEmpty());
        directory.addAlias("a@x.test", List.of(Address.of("b@x.test")));
        assertEquals(1, directory.aliases().size());
    }

    @Test
    void removingADomainRemovesItsAliasesAndSaysWhatRemains() {
        Domain d = Domain.parse("gone.test");
        directory.addDomain(d, Optional.of(true));
        directory.addAlias("sales@gone.test", List.of(Address.of("ann@gone.test")));
        directory.addAlias("@gone.test", List.of(Address.of("ann@gone.test")));
        directory.addAlias("keep@other.test", List.of(Address.of("ann@gone.test")));
        directory.addUser(Address.of("ann@gone.test"), "a long secret");
        Directory.Outcome<Boolean> removed = directory.removeDomain(d);
        assertTrue(removed.value());
        assertEquals(List.of("keep@other.test"), directory.aliases().stream().map(a -> a.source()).toList());
        assertTrue(removed.notes().get(0).startsWith("removed its 2 alias(es)"), removed.notes().toString());
        assertTrue(removed.notes().get(1).contains("1 user(s) of gone.test remain"), removed.notes().toString());
        assertFalse(directory.removeDomain(d).value());
    }

    @Test
    void aKeyForAnUnknownDomainIsMadeWithAWarning() {
        Directory.Outcome<DkimTools.Published> made = directory.generateKey(Domain.parse("new.test"), null, "rsa");
        assertEquals(1, made.notes().size());
        assertTrue(made.notes().get(0).contains("not a domain Petrel knows"));
        directory.addDomain(Domain.parse("known.test"), Optional.empty());
        assertTrue(directory.generateKey(Domain.parse("known.test"), null, "rsa").notes().isEmpty());
    }
}
