package dev.petrel.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccountStoreTest {

    private static final Domain LOCALHOST = Domain.parse("localhost");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data/accounts.json");
    }

    private FileAccountStore store(long seed) {
        return new FileAccountStore(file(), new Random(seed), List.of(LOCALHOST));
    }

    private static List<String> names(List<User> users) {
        return users.stream().map(u -> u.address().toString()).sorted().toList();
    }

    @Test
    void aFreshStoreHasTheSeedDomainAsLocalAndNoUsers() {
        FileAccountStore store = store(1);
        assertTrue(store.isLocal(LOCALHOST));
        assertEquals(List.of(new DomainEntry(LOCALHOST, true)), store.domains());
        assertEquals(List.of(), store.users());
        assertFalse(store.isLocal(Domain.parse("example.com")));
        // reading writes nothing
        assertFalse(Files.exists(file()));
    }

    @Test
    void addedUsersCanBeFoundListedAndRemoved() throws IOException {
        FileAccountStore store = store(1);
        User alice = store.addUser(Address.of("alice@example.com"), "correct horse");
        store.addUser(Address.of("bob@localhost"), "battery staple");
        assertEquals(List.of("alice@example.com", "bob@localhost"), names(store.users()));
        assertEquals(alice.address(), store.user(Address.of("alice@example.com")).orElseThrow().address());
        // the local part is matched without regard to case, the domain always is
        assertTrue(store.user(Address.of("ALICE@Example.COM")).isPresent());
        assertTrue(store.removeUser(Address.of("Alice@example.com")));
        assertFalse(store.removeUser(Address.of("alice@example.com")));
        assertTrue(store.user(Address.of("alice@example.com")).isEmpty());
        assertEquals(List.of("bob@localhost"), store.userNames());
    }

    @Test
    void aUserSendsFromItsOwnDomainWhichBecomesKnownButNotLocal() throws IOException {
        FileAccountStore store = store(1);
        User alice = store.addUser(Address.of("alice@example.com"), "pw");
        assertEquals(Set.of(Domain.parse("example.com")), alice.sendingDomains());
        assertTrue(alice.maySendFrom(Address.of("anyone@example.com")));
        assertFalse(alice.maySendFrom(Address.of("alice@example.net")));
        assertEquals(new DomainEntry(Domain.parse("example.com"), false), store.domain(Domain.parse("example.com")).orElseThrow());
        assertFalse(store.isLocal(Domain.parse("example.com")));
        // a user of a local domain leaves the domain local
        store.addUser(Address.of("bob@localhost"), "pw");
        assertTrue(store.isLocal(LOCALHOST));
    }

    @Test
    void domainsCanBeAddedChangedAndRemoved() throws IOException {
        FileAccountStore store = store(1);
        store.addDomain(Domain.parse("example.com"), true);
        store.addDomain(Domain.parse("example.net"), false);
        assertTrue(store.isLocal(Domain.parse("EXAMPLE.com")));
        assertFalse(store.isLocal(Domain.parse("example.net")));
        store.addDomain(Domain.parse("example.net"), true);
        assertTrue(store.isLocal(Domain.parse("example.net")));
        assertTrue(store.removeDomain(Domain.parse("example.com")));
        assertFalse(store.removeDomain(Domain.parse("example.com")));
        assertEquals(List.of(LOCALHOST, Domain.parse("example.net")),
                store.domains().stream().map(DomainEntry::name).toList());
        // the seed domain may be removed too, and stays removed
        assertTrue(store.removeDomain(LOCALHOST));
        assertFalse(store(2).isLocal(LOCALHOST));
    }

    @Test
    void passwordsAreKeptOnlyAsHashesThatVerify() throws IOException {
        FileAccountStore store = store(1);
        User alice = store.addUser(Address.of("alice@example.com"), "correct horse battery staple");
        assertNotEquals("correct horse battery staple", alice.passwordHash());
        assertTrue(alice.passwordHash().startsWith("$argon2id$"));
        assertTrue(PasswordHasher.verify("correct horse battery staple", alice.passwordHash()));
        assertFalse(PasswordHasher.verify("correct horse", alice.passwordHash()));
        String json = Files.readString(file(), StandardCharsets.UTF_8);
        assertFalse(json.contains("correct horse"), json);
        assertTrue(json.contains(alice.passwordHash().replace("/", "\\/")) || json.contains(alice.passwordHash()), json);
        // nor does the user print its secrets
        assertEquals("User[alice@example.com]", alice.toString());
    }

    @Test
    void addingAUserAgainChangesItsPassword() throws IOException {
        FileAccountStore store = store(1);
        store.addUser(Address.of("alice@example.com"), "old password");
        store.addUser(Address.of("alice@example.com"), "new password");
        assertEquals(1, store.users().size());
        String hash = store.user(Address.of("alice@example.com")).orElseThrow().passwordHash();
        assertTrue(PasswordHasher.verify("new password", hash));
        assertFalse(PasswordHasher.verify("old password", hash));
    }

    @Test
    void everythingSurvivesANewInstance() throws IOException {
        FileAccountStore first = store(1);
        User alice = first.addUser(Address.of("alice@example.com"), "correct horse");
        first.addUser(Address.of("\"odd user\"@localhost"), "pw");
        first.addDomain(Domain.parse("bücher.example"), true);

        FileAccountStore second = store(2);
        assertEquals(List.of("\"odd user\"@localhost", "alice@example.com"), names(second.users()));
        User again = second.user(Address.of("alice@example.com")).orElseThrow();
        assertEquals(alice.passwordHash(), again.passwordHash());
        assertEquals(alice.sendingDomains(), again.sendingDomains());
        assertArrayEquals(alice.scram().salt(), again.scram().salt());
        assertEquals(alice.scram().iterations(), again.scram().iterations());
        assertArrayEquals(alice.scram().storedKey(), again.scram().storedKey());
        assertArrayEquals(alice.scram().serverKey(), again.scram().serverKey());
        assertTrue(second.isLocal(Domain.parse("xn--bcher-kva.example")));
        assertTrue(second.isLocal(LOCALHOST));
    }

    @Test
    void aliasesAndQuotasSurviveANewInstance() throws IOException {
        FileAccountStore first = store(1);
        first.addUser(Address.of("alice@example.com"), "pw");
        assertTrue(first.setQuota(Address.of("ALICE@example.com"), 1_000_000));
        assertFalse(first.setQuota(Address.of("nobody@example.com"), 5));
        first.addAlias(Alias.parse("Sales@example.com", List.of(Address.of("alice@example.com"))));
        first.addAlias(Alias.parse("sales@example.com", List.of(Address.of("bob@remote.test"),
                Address.of("alice@example.com"))));
        first.addAlias(Alias.parse("@example.com", List.of(Address.of("alice@example.com"))));

        FileAccountStore second = store(2);
        assertEquals(1_000_000, second.user(Address.of("alice@example.com")).orElseThrow().quota());
        Alias sales = second.alias("SALES", Domain.parse("example.com")).orElseThrow();
        // adding to an alias keeps its first spelling and adds only new targets
        assertEquals("Sales@example.com", sales.source());
        assertEquals(List.of(Address.of("alice@example.com"), Address.of("bob@remote.test")), sales.targets());
        assertTrue(second.alias(null, Domain.parse("example.com")).orElseThrow().catchAll());
        assertEquals(2, second.aliases().size());
        assertTrue(second.removeAlias(null, Domain.parse("example.com")));
        assertFalse(second.removeAlias(null, Domain.parse("example.com")));
        assertTrue(store(3).alias(null, Domain.parse("example.com")).isEmpty());
    }

    @Test
    void aNewDkimKeyReplacesTheActiveOneOfItsTypeAndEveryKeySurvivesANewInstance() throws IOException {
        Domain example = Domain.parse("example.com");
        FileAccountStore first = store(1);
        first.addDkimKey(new DkimKeyEntry(example, "rsa1", "rsa", new byte[] {1, 2}, true));
        first.addDkimKey(new DkimKeyEntry(example, "ed1", "ed25519", new byte[] {3}, true));
        first.addDkimKey(new DkimKeyEntry(example, "rsa2", "rsa", new byte[] {4}, true));
        first.addDkimKey(new DkimKeyEntry(Domain.parse("other.test"), "rsa1", "rsa", new byte[] {5}, true));
        List<DkimKeyEntry> keys = store(2).dkimKeys(example);
        assertEquals(List.of("rsa1 false", "ed1 true", "rsa2 true"),
                keys.stream().map(k -> k.selector() + " " + k.active()).toList());
        assertArrayEquals(new byte[] {1, 2}, keys.getFirst().pkcs8());
        assertTrue(store(3).dkimKeys(Domain.parse("other.test")).getFirst().active(), "other domains keep theirs");
    }

    @Test
    void aNewPasswordKeepsTheQuota() throws IOException {
        FileAccountStore store = store(1);
        store.addUser(Address.of("alice@example.com"), "old");
        store.setQuota(Address.of("alice@example.com"), 4096);
        store.addUser(Address.of("alice@example.com"), "new");
        assertEquals(4096, store.user(Address.of("alice@example.com")).orElseThrow().quota());
    }

    @Test
    void theScramSecretsBelongToThePassword() throws IOException {
        User alice = store(1).addUser(Address.of("alice@example.com"), "pencil");
        ScramSecret expected = ScramSecret.derive("pencil", alice.scram().salt(), alice.scram().iterations());
        assertArrayEquals(expected.storedKey(), alice.scram().storedKey());
        assertArrayEquals(expected.serverKey(), alice.scram().serverKey());
    }

    @Test
    void aSecondInstanceSeesChangesMadeByTheFirstAfterItHasRead() throws IOException {
        // the server holds one instance while the command line changes the file through another
        FileAccountStore server = store(1);
        FileAccountStore cli = store(2);
        cli.addUser(Address.of("alice@example.com"), "pw");
        assertEquals(List.of("alice@example.com"), names(server.users()));
        cli.addUser(Address.of("bob@example.com"), "pw");
        assertEquals(List.of("alice@example.com", "bob@example.com"), names(server.users()));
        cli.removeUser(Address.of("alice@example.com"));
        assertTrue(server.user(Address.of("alice@example.com")).isEmpty());
        cli.addDomain(Domain.parse("example.org"), true);
        assertTrue(server.isLocal(Domain.parse("example.org")));
        // and the other way round: a change through the server's instance keeps the command line's changes
        server.addDomain(Domain.parse("example.net"), false);
        assertEquals(List.of("bob@example.com"), names(cli.users()));
        assertTrue(cli.domain(Domain.parse("example.net")).isPresent());
        assertTrue(cli.isLocal(Domain.parse("example.org")));
    }

    @Test
    void theFileIsReadableByItsOwnerAlone() throws IOException {
        store(1).addUser(Address.of("alice@example.com"), "pw");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file()));
        store(1).addDomain(Domain.parse("example.net"), false);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file()));
        // no temporary file is left behind
        try (var files = Files.list(file().getParent())) {
            assertEquals(List.of("accounts.json", "accounts.json.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
