package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.delivery.Egress;
import dev.petrel.delivery.Transport;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote delivery from an egress, seen from a scripted MX on 127.0.0.2: the connection comes from the egress's
 * source address and says its EHLO name; kept connections are never lent to another egress.
 */
class EgressDeliveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HandClock clock = new HandClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Mx mx = new Mx();
    private ScriptedPeer peer;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private static Egress egress(String name, String ehlo, String... sources) throws Exception {
        List<InetAddress> addresses = new ArrayList<>();
        for (String s : sources) {
            addresses.add(InetAddress.getByName(s));
        }
        return new Egress(name, addresses, ehlo);
    }

    private PooledTransport pool() throws Exception {
        peer = ScriptedPeer.startAll(List.of(RemoteDeliveryTest.MX1), List.of(mx)).getFirst();
        mx.bind(peer);
        toClose.add(peer);
        PooledTransport pool = new PooledTransport(RemoteDeliveryTest.delivery(peer.port(), TIMEOUT), 4, 100,
                Duration.ofSeconds(10), clock);
        toClose.add(pool);
        return pool;
    }

    private static Transport.Delivery deliver(Transport transport, Egress from, String to) throws Exception {
        List<Transport.Delivery> out = transport.deliver(RemoteDeliveryTest.oneMx(), from,
                RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT, to));
        return out.getFirst();
    }

    @Test
    void eachEgressConnectsFromItsAddressSaysItsNameAndKeepsItsOwnConnections() throws Exception {
        PooledTransport pool = pool();
        Egress receipts = egress("receipts", "out.acme.test", "127.0.0.3");
        Egress news = egress("news", "news.bravo.test", "127.0.0.4");
        for (Egress from : List.of(receipts, news, receipts, news)) {
            assertInstanceOf(RecipientOutcome.Delivered.class, deliver(pool, from, "a@dest.test").outcome());
        }
        assertEquals(List.of("127.0.0.3 out.acme.test", "127.0.0.4 news.bravo.test"), mx.greeted,
                "one connection per egress, each reused only for its own mail");
        assertEquals(4, peer.received.size());
        assertEquals(2, peer.connections());
    }

    @Test
    void theDefaultEgressSaysTheHostName() throws Exception {
        PooledTransport pool = pool();
        assertInstanceOf(RecipientOutcome.Delivered.class, deliver(pool, Egress.DEFAULT, "a@dest.test").outcome());
        assertEquals(List.of("127.0.0.1 petrel.source.test"), mx.greeted);
    }

    @Test
    void aPoolTakesItsSourceAddressesInTurn() throws Exception {
        pool();
        RemoteDelivery once = RemoteDeliveryTest.delivery(peer.port(), TIMEOUT);
        Egress two = egress("pair", null, "127.0.0.5", "127.0.0.6");
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(RecipientOutcome.Delivered.class, deliver(once, two, "a@dest.test").outcome());
        }
        assertEquals(List.of("127.0.0.5 petrel.source.test", "127.0.0.6 petrel.source.test",
                "127.0.0.5 petrel.source.test", "127.0.0.6 petrel.source.test"), mx.greeted);
    }

    @Test
    void anEgressWithoutAnAddressOfTheHostsFamilyDefersAndNeverConnectsFromAnother() throws Exception {
        pool();
        RemoteDelivery once = RemoteDeliveryTest.delivery(peer.port(), TIMEOUT);
        Transport.Delivery d = deliver(once, egress("v6", null, "::1"), "a@dest.test");
        assertInstanceOf(RecipientOutcome.Deferred.class, d.outcome());
        assertTrue(d.outcome().reply().summary().startsWith("421 4.4.1 Egress v6 has no source address of the family"
                + " of mx1.dest.test[127.0.0.2]"), d.outcome().reply().summary());
        assertEquals(0, peer.connections());
    }
}
