package dev.petrel.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DomainEntry;
import dev.petrel.account.LocalRecipients;
import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.testing.MemoryAccounts;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayPolicyTest {

    private final MemoryAccounts accounts = new MemoryAccounts()
            .localDomain("localhost")
            .localDomain("example.com")
            .user("alice@example.com", "alias.example")
            .user("bob@localhost");
    private final RelayPolicy policy = new RelayPolicy(accounts, recipients(Domain.parse("mx.test")),
            List.of(Network.parse("192.0.2.0/24"), Network.parse("2001:db8::/32")));

    private LocalRecipients recipients(Domain hostname) {
        return new LocalRecipients(accounts, accounts, accounts, hostname, "+", false);
    }

    private static Client client(String ip, String user) throws UnknownHostException {
        return new Client(InetAddress.getByName(ip), user.isEmpty() ? null : user);
    }

    /** "accept", or the reply's code and enhanced status, as "550 5.1.1". */
    private static String outcome(Decision decision) {
        return switch (decision) {
            case Decision.Accept a -> "accept";
            case Decision.Reject r -> r.reply().code() + " " + r.reply().status();
            case Decision.Defer d -> d.reply().code() + " " + d.reply().status();
        };
    }

    @ParameterizedTest(name = "{0} as [{1}] to {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # local domains take mail for known users from anyone, whatever the case of the local part
            198.51.100.7 |                   | alice@example.com          | accept
            198.51.100.7 |                   | ALICE@Example.COM          | accept
            198.51.100.7 |                   | bob@localhost              | accept
            # and for postmaster (RFC 5321 4.5.1), also at the server's own name
            198.51.100.7 |                   | postmaster@example.com     | accept
            198.51.100.7 |                   | PostMaster@localhost       | accept
            198.51.100.7 |                   | postmaster@mx.test         | accept
            # unknown users of local domains are refused, also for trusted clients
            198.51.100.7 |                   | nobody@example.com         | 550 5.1.1
            192.0.2.10   |                   | nobody@example.com         | 550 5.1.1
            198.51.100.7 | alice@example.com | nobody@localhost           | 550 5.1.1
            # remote domains only for an authenticated client or one in the relay networks: never an open relay
            198.51.100.7 |                   | someone@remote.test        | 554 5.7.1
            2001:db9::1  |                   | someone@remote.test        | 554 5.7.1
            198.51.100.7 | alice@example.com | someone@remote.test        | accept
            192.0.2.10   |                   | someone@remote.test        | accept
            2001:db8::25 |                   | someone@remote.test        | accept
            198.51.100.7 |                   | someone@[203.0.113.5]      | 554 5.7.1
            # a domain users send from is not local: no mail is taken for it from strangers
            198.51.100.7 |                   | alice@alias.example        | 554 5.7.1
            # address tricks are local parts of a local domain, never routes to elsewhere
            198.51.100.7 |                   | "user@remote.test"@localhost | 550 5.1.1
            198.51.100.7 |                   | user%remote.test@localhost | 550 5.1.1
            198.51.100.7 |                   | remote.test!user@localhost | 550 5.1.1
            198.51.100.7 |                   | "user@remote.test"@example.com | 550 5.1.1
            192.0.2.10   |                   | user%remote.test@localhost | 550 5.1.1
            198.51.100.7 | alice@example.com | remote.test!user@example.com | 550 5.1.1
            """)
    void recipientsAreAcceptedOnlyWhereThePolicyAllows(String ip, String user, String to, String expected)
            throws UnknownHostException {
        Recipient recipient = Recipient.of(Address.of(to));
        assertEquals(expected, outcome(policy.rcptTo(client(ip, user == null ? "" : user), recipient)));
    }

    @ParameterizedTest(name = "[{0}] from <{1}> -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # an unauthenticated client may use any sender: SPF and DMARC judge it, not this step
                              | alice@example.com      | accept
                              | someone@remote.test    | accept
                              |                        | accept
            # an authenticated user sends as its own domains only
            alice@example.com | alice@example.com      | accept
            alice@example.com | other@example.com      | accept
            alice@example.com | alice@alias.example    | accept
            alice@example.com | alice@remote.test      | 553 5.7.1
            alice@example.com | alice@sub.example.com  | 553 5.7.1
            bob@localhost     | bob@example.com        | 553 5.7.1
            # and never with the null sender, which is for bounces
            alice@example.com |                        | 553 5.7.1
            # a user that has been removed since it authenticated owns nothing
            carol@example.com | carol@example.com      | 553 5.7.1
            """)
    void authenticatedUsersSendOnlyAsTheirDomains(String user, String from, String expected)
            throws UnknownHostException {
        ReversePath sender = from == null ? ReversePath.NULL : ReversePath.of(Address.of(from));
        assertEquals(expected, outcome(policy.mailFrom(client("198.51.100.7", user == null ? "" : user), sender)));
    }

    @Test
    void relayNetworksAreCheckedByAddress() throws UnknownHostException {
        assertTrue(policy.inRelayNetworks(client("192.0.2.200", "")));
        assertTrue(policy.inRelayNetworks(client("2001:db8:ffff::1", "")));
        assertEquals(false, policy.inRelayNetworks(client("192.0.3.1", "")));
    }

    @Test
    void withoutRelayNetworksOnlyAuthenticatedClientsRelay() throws UnknownHostException {
        RelayPolicy closed = new RelayPolicy(accounts, recipients(null), List.of());
        Recipient remote = Recipient.of(Address.of("someone@remote.test"));
        assertInstanceOf(Decision.Reject.class, closed.rcptTo(client("127.0.0.1", ""), remote));
        assertInstanceOf(Decision.Accept.class, closed.rcptTo(client("127.0.0.1", "bob@localhost"), remote));
    }

    @Test
    void aDomainMadeLocalLaterTakesMailForItsUsers() throws UnknownHostException {
        Recipient recipient = Recipient.of(Address.of("alice@alias.example"));
        assertEquals("554 5.7.1", outcome(policy.rcptTo(client("198.51.100.7", ""), recipient)));
        accounts.add(new DomainEntry(Domain.parse("alias.example"), true));
        assertEquals("550 5.1.1", outcome(policy.rcptTo(client("198.51.100.7", ""), recipient)));
    }
}
