package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BounceAddressesTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final BounceAddresses bounces = new BounceAddresses(Domain.parse("bounce.example"), SECRET);
    private final QueueId id = QueueId.generate(1_765_000_000_000_000L, new Random(7));
    private final SendContext acme = new SendContext("acme", "news", null, Map.of());

    @Test
    void aRecipientsAddressNamesMessageRecipientAndScope() {
        Address message = bounces.forMessage(id, acme);
        BounceAddresses.Verp m = bounces.verify(message).orElseThrow();
        assertFalse(m.perRecipient());
        Address third = bounces.forRecipient(m, 2);
        BounceAddresses.Verp r = bounces.verify(third).orElseThrow();
        assertEquals(id, r.id());
        assertEquals(2, r.recipient());
        assertEquals(bounces.scope("acme", "news"), r.scope());
        assertNotEquals(bounces.scope("acme", "other"), r.scope());
    }

    // RFC 5321 4.5.3.1.1: a local part is at most 64 octets, with the longest index a message may have
    @Test
    void theLocalPartFitsIn64Octets() {
        Address a = bounces.forRecipient(bounces.verify(bounces.forMessage(id, acme)).orElseThrow(), 99_999);
        assertTrue(a.localPart().length() <= 64, a.localPart());
        assertEquals(a, Address.parse(a.toString(), false));
    }

    @Test
    void aChangedIndexQueueIdMacOrSecretIsRefused() {
        String good = bounces.forRecipient(bounces.verify(bounces.forMessage(id, acme)).orElseThrow(), 1).localPart();
        String[] p = good.split("-");
        for (String forged : new String[] {
                String.join("-", p[0], p[1], "2", p[3], p[4]),
                String.join("-", p[0], QueueId.generate(1_765_000_000_000_001L, new Random(7)).value(), p[2], p[3], p[4]),
                String.join("-", p[0], p[1], p[2], p[3], p[4].substring(0, 9) + (p[4].charAt(9) == 'a' ? 'b' : 'a')),
                String.join("-", p[0], p[1], p[2], p[3]), "postmaster", "b--1--aaaaaaaaaa"}) {
            assertTrue(bounces.verify(new Address(forged, Domain.parse("bounce.example"))).isEmpty(), forged);
        }
        BounceAddresses other = new BounceAddresses(Domain.parse("bounce.example"), "another secret, 32 octets long..".getBytes(StandardCharsets.US_ASCII));
        assertTrue(other.verify(new Address(good, Domain.parse("bounce.example"))).isEmpty());
        assertTrue(bounces.verify(new Address(good, Domain.parse("elsewhere.example"))).isEmpty());
    }

    // receivers may change the case of what they take for a hash; the MAC is compared without case
    @Test
    void theMacIsReadWithoutRegardToCase() {
        Address a = bounces.forMessage(id, acme);
        String local = a.localPart();
        int mac = local.lastIndexOf('-');
        Address upper = new Address(local.substring(0, mac) + local.substring(mac).toUpperCase(), a.domain());
        assertTrue(bounces.verify(upper).isPresent());
    }
}
