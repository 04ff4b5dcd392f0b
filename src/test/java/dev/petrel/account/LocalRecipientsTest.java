package dev.petrel.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.testing.MemoryAccounts;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who a local address is: aliases, users, sub-addresses, catch-alls and postmaster, in Postfix's order. */
class LocalRecipientsTest {

    private static final MemoryAccounts accounts = new MemoryAccounts();

    @BeforeAll
    static void accounts() {
        accounts.localDomain("localhost").localDomain("example.com").localDomain("catchall.test");
        accounts.user("Alice@example.com");
        accounts.setQuota(Address.of("alice@example.com"), 5000);
        accounts.user("bob@example.com");
        accounts.user("carol@remote.test"); // a user of a domain that is not local
        accounts.user("boss@catchall.test");
        accounts.add(Alias.parse("sales@example.com", List.of(Address.of("bob@example.com"))));
        accounts.add(Alias.parse("bob+urgent@example.com", List.of(Address.of("alice@example.com"))));
        accounts.add(Alias.parse("@catchall.test", List.of(Address.of("boss@catchall.test"))));
    }

    private static LocalRecipients recipients(String delimiters, boolean caseSensitive) {
        return new LocalRecipients(accounts, accounts, accounts, Domain.parse("mx.example.net"), delimiters, caseSensitive);
    }

    private static Resolution resolve(String address) {
        return recipients("+", false).resolve(Address.of(address));
    }

    private static Address mailbox(Resolution r) {
        return assertInstanceOf(Resolution.Mailbox.class, r).mailbox();
    }

    private static String aliasOf(Resolution r) {
        return assertInstanceOf(Resolution.Forward.class, r).alias().source();
    }

    @Test
    void aUserIsAMailboxNamedInLowerCaseWithItsQuota() {
        Resolution r = resolve("ALICE@Example.COM");
        assertEquals(Address.of("alice@example.com"), mailbox(r));
        assertEquals(5000, ((Resolution.Mailbox) r).quota());
        assertEquals(0, ((Resolution.Mailbox) resolve("bob@example.com")).quota());
    }

    @Test
    void aSubAddressReachesItsUser() {
        assertEquals(Address.of("alice@example.com"), mailbox(resolve("alice+news@example.com")));
        assertEquals(Address.of("alice@example.com"), mailbox(resolve("alice+a+b@example.com")));
        // without a delimiter configured the whole local part is the name
        assertInstanceOf(Resolution.Unknown.class, recipients("", false).resolve(Address.of("alice+news@example.com")));
        // several delimiters, like Postfix's recipient_delimiter = "+-"
        assertEquals(Address.of("alice@example.com"),
                mailbox(recipients("+-", false).resolve(Address.of("alice-news@example.com"))));
        // a local part that starts with the delimiter has no base name
        assertInstanceOf(Resolution.Unknown.class, resolve("+alice@example.com"));
    }

    @Test
    void anAliasComesBeforeAUserAndAnExactAliasBeforeTheSubAddressRule() {
        assertEquals("sales@example.com", aliasOf(resolve("Sales@example.com")));
        assertEquals("sales@example.com", aliasOf(resolve("sales+eu@example.com")));
        assertEquals("bob+urgent@example.com", aliasOf(resolve("bob+urgent@example.com")));
        assertEquals(Address.of("bob@example.com"), mailbox(resolve("bob+other@example.com")));
    }

    @Test
    void theCatchAllTakesWhatNobodyElseDoes() {
        assertEquals("@catchall.test", aliasOf(resolve("anything@catchall.test")));
        assertEquals(Address.of("boss@catchall.test"), mailbox(resolve("boss@catchall.test")));
        // no catch-all is the default
        assertInstanceOf(Resolution.Unknown.class, resolve("anything@example.com"));
    }

    @Test
    void postmasterAlwaysHasAMailbox() {
        assertEquals(Address.of("postmaster@example.com"), mailbox(resolve("PostMaster@example.com")));
        // of the server's own name too, which is not a local domain
        LocalRecipients r = recipients("+", false);
        assertTrue(r.isLocal(Address.of("postmaster@mx.example.net")));
        assertEquals(Address.of("postmaster@mx.example.net"), mailbox(r.resolve(Address.of("Postmaster@mx.example.net"))));
        assertFalse(r.isLocal(Address.of("someone@mx.example.net")));
        // a catch-all takes postmaster before the built-in mailbox, as it takes every other name
        assertEquals("@catchall.test", aliasOf(resolve("postmaster@catchall.test")));
    }

    @Test
    void usersOfOtherDomainsAreNotLocal() {
        LocalRecipients r = recipients("+", false);
        assertFalse(r.isLocal(Address.of("carol@remote.test")));
        assertInstanceOf(Resolution.Unknown.class, r.resolve(Address.of("carol@remote.test")));
    }

    @Test
    void caseSensitiveLocalPartsMatchOnlyAsWritten() {
        LocalRecipients exact = recipients("+", true);
        assertEquals(Address.of("Alice@example.com"), mailbox(exact.resolve(Address.of("Alice@example.com"))));
        assertInstanceOf(Resolution.Unknown.class, exact.resolve(Address.of("alice@example.com")));
        assertInstanceOf(Resolution.Unknown.class, exact.resolve(Address.of("SALES@example.com")));
        assertEquals(Address.of("Alice@example.com"), mailbox(exact.resolve(Address.of("Alice+x@example.com"))));
    }
}
