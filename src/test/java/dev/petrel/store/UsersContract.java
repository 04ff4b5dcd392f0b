package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.PasswordHasher;
import dev.petrel.account.ScramSecret;
import dev.petrel.account.User;
import dev.petrel.account.Users;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link Users} store does, whatever keeps it. */
abstract class UsersContract extends StoreContract {

    private static final ScramSecret SCRAM = new ScramSecret(new byte[] {1, 2, 3}, 4096, new byte[] {4, 5},
            new byte[] {6, 7, 8});

    private static User user(String address, String hash, String... sending) {
        Address a = Address.of(address);
        Set<Domain> domains = new java.util.HashSet<>();
        domains.add(a.domain());
        for (String d : sending) {
            domains.add(Domain.parse(d));
        }
        return new User(a, hash, SCRAM, domains);
    }

    private Users users() {
        return store.users();
    }

    private static List<String> names(List<User> users) {
        return users.stream().map(u -> u.address().toString()).toList();
    }

    @Test
    void aUserIsFoundWithoutRegardToTheCaseOfItsLocalPart() {
        users().add(user("Alice@example.com", "h1"));
        assertEquals("Alice@example.com", users().user(Address.of("alice@example.com")).orElseThrow().address().toString());
        assertTrue(users().user(Address.of("ALICE@Example.COM")).isPresent());
        assertTrue(users().user(Address.of("alice@example.net")).isEmpty());
        assertTrue(users().user(Address.of("bob@example.com")).isEmpty());
    }

    @Test
    void credentialsSendingDomainsAndQuotaAreKeptAsGiven() {
        users().add(user("alice@example.com", "$argon2id$stored", "alias.example"));
        User alice = users().user(Address.of("alice@example.com")).orElseThrow();
        assertEquals("$argon2id$stored", alice.passwordHash());
        assertArrayEquals(SCRAM.salt(), alice.scram().salt());
        assertEquals(SCRAM.iterations(), alice.scram().iterations());
        assertArrayEquals(SCRAM.storedKey(), alice.scram().storedKey());
        assertArrayEquals(SCRAM.serverKey(), alice.scram().serverKey());
        assertEquals(Set.of(Domain.parse("example.com"), Domain.parse("alias.example")), alice.sendingDomains());
        assertEquals(User.NO_QUOTA, alice.quota());
    }

    @Test
    void aPasswordMadeIntoAUserVerifiesAfterTheStoreKeptIt() {
        User made = User.withPassword(Address.of("alice@example.com"), "correct horse battery staple", new Random(1));
        users().add(made);
        User alice = users().user(Address.of("alice@example.com")).orElseThrow();
        assertTrue(PasswordHasher.verify("correct horse battery staple", alice.passwordHash()));
        assertFalse(PasswordHasher.verify("correct horse", alice.passwordHash()));
        ScramSecret expected = ScramSecret.derive("correct horse battery staple", alice.scram().salt(),
                alice.scram().iterations());
        assertArrayEquals(expected.storedKey(), alice.scram().storedKey());
        assertEquals(Set.of(Domain.parse("example.com")), alice.sendingDomains());
    }

    @Test
    void addingAUserAgainReplacesItsCredentialsAndKeepsItsQuotaAndPlace() {
        users().add(user("alice@example.com", "old"));
        users().add(user("bob@example.com", "b"));
        assertTrue(users().setQuota(Address.of("ALICE@example.com"), 4096));
        User stored = users().add(user("ALICE@example.com", "new", "other.example"));
        assertEquals(4096, stored.quota());
        User alice = users().user(Address.of("alice@example.com")).orElseThrow();
        assertEquals("new", alice.passwordHash());
        assertEquals("ALICE@example.com", alice.address().toString());
        assertEquals(4096, alice.quota());
        assertEquals(Set.of(Domain.parse("example.com"), Domain.parse("other.example")), alice.sendingDomains());
        assertEquals(List.of("ALICE@example.com", "bob@example.com"), names(users().users()));
    }

    @Test
    void usersAreListedInTheOrderTheyWereAddedAndCanBeRemoved() {
        users().add(user("carol@example.com", "c"));
        users().add(user("\"odd user\"@localhost", "o"));
        users().add(user("alice@xn--bcher-kva.example", "a", "second.example"));
        assertEquals(List.of("carol@example.com", "\"odd user\"@localhost", "alice@xn--bcher-kva.example"),
                names(users().users()));
        assertEquals(2, users().users().get(2).sendingDomains().size());
        assertTrue(users().remove(Address.of("Carol@example.com")));
        assertFalse(users().remove(Address.of("carol@example.com")));
        assertTrue(users().user(Address.of("carol@example.com")).isEmpty());
        assertEquals(List.of("\"odd user\"@localhost", "alice@xn--bcher-kva.example"), names(users().users()));
    }

    @Test
    void aQuotaIsSetOnlyOnAUserThatExistsAndCanBeLifted() {
        assertFalse(users().setQuota(Address.of("nobody@example.com"), 5));
        users().add(user("alice@example.com", "a"));
        assertTrue(users().setQuota(Address.of("alice@example.com"), 1_000_000_000_000L));
        assertEquals(1_000_000_000_000L, users().user(Address.of("alice@example.com")).orElseThrow().quota());
        assertTrue(users().setQuota(Address.of("alice@example.com"), User.NO_QUOTA));
        assertFalse(users().user(Address.of("alice@example.com")).orElseThrow().hasQuota());
    }

    @Test
    void anotherHandleSeesEachChangeAtOnce() throws Exception {
        // the server holds one handle while the command line changes the store through another
        Users server = store.users();
        Users cli = another().users();
        cli.add(user("alice@example.com", "a"));
        assertEquals(List.of("alice@example.com"), names(server.users()));
        cli.setQuota(Address.of("alice@example.com"), 10);
        assertEquals(10, server.user(Address.of("alice@example.com")).orElseThrow().quota());
        cli.remove(Address.of("alice@example.com"));
        assertTrue(server.user(Address.of("alice@example.com")).isEmpty());
        server.add(user("bob@example.com", "b"));
        assertEquals(List.of("bob@example.com"), names(cli.users()));
    }
}
