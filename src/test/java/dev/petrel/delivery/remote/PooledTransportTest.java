package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.delivery.Lane;
import dev.petrel.delivery.SiteSlots;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.mail.Domain;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.TlsPolicy;
import dev.petrel.testing.HandClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection reuse across messages to one site, bounded in messages and idle time. */
class PooledTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HandClock clock = new HandClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private ScriptedPeer peer() throws Exception {
        Mx mx = new Mx();
        ScriptedPeer peer = ScriptedPeer.startAll(List.of(RemoteDeliveryTest.MX1), List.of(mx)).getFirst();
        mx.bind(peer);
        toClose.add(peer);
        return peer;
    }

    private PooledTransport pool(ScriptedPeer peer, int maxMessages) {
        PooledTransport pool = new PooledTransport(RemoteDeliveryTest.delivery(peer.port(), TIMEOUT), 4, maxMessages,
                Duration.ofSeconds(10), clock);
        toClose.add(pool);
        return pool;
    }

    private static void deliverOne(Transport transport, String to) throws Exception {
        List<Transport.Delivery> out = transport.deliver(RemoteDeliveryTest.oneMx(),
                RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT, to));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome());
    }

    @Test
    void messagesToOneSiteShareAConnection() throws Exception {
        ScriptedPeer peer = peer();
        PooledTransport pool = pool(peer, 100);
        for (int i = 0; i < 5; i++) {
            deliverOne(pool, "r" + i + "@dest.test");
        }
        assertEquals(5, peer.received.size());
        assertEquals(1, peer.connections(), "five messages over one connection");
    }

    @Test
    void aConnectionOpenedForAnInsecureDestinationIsNotReusedForADnssecSecuredOne() throws Exception {
        // RFC 7672: the second destination's hosts may have TLSA records, so it needs a connection of its own
        ScriptedPeer peer = peer();
        PooledTransport pool = pool(peer, 100);
        deliverOne(pool, "a@dest.test");
        Route plain = RemoteDeliveryTest.oneMx();
        Route.Host host = plain.hosts().getFirst();
        Route secured = new Route(Domain.parse("signed.test"), plain.site(),
                List.of(new Route.Host(host.name(), host.preference(), host.addresses(), true)));
        List<Transport.Delivery> out = pool.deliver(secured,
                RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT, "b@signed.test"));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome());
        assertEquals(2, peer.connections());
    }

    @Test
    void aConnectionIsRetiredAfterItsMessageLimit() throws Exception {
        ScriptedPeer peer = peer();
        PooledTransport pool = pool(peer, 2);
        for (int i = 0; i < 5; i++) {
            deliverOne(pool, "r" + i + "@dest.test");
        }
        assertEquals(5, peer.received.size());
        assertEquals(3, peer.connections(), "2 + 2 + 1 messages");
    }

    @Test
    void aConnectionIdleTooLongIsNotReused() throws Exception {
        ScriptedPeer peer = peer();
        PooledTransport pool = pool(peer, 100);
        deliverOne(pool, "a@dest.test");
        clock.now = clock.now.plus(Duration.ofSeconds(11));
        deliverOne(pool, "b@dest.test");
        assertEquals(2, peer.connections());
    }

    @Test
    void aDomainThatRequiresTlsIsNotSentToAServerWithoutIt() throws Exception {
        ScriptedPeer peer = peer();
        PooledTransport pool = new PooledTransport(RemoteDeliveryTest.delivery(peer.port(), TIMEOUT), 4, 100,
                Duration.ofSeconds(10), clock, domain -> domain.name().equals("dest.test")
                        ? dev.petrel.smtp.client.TlsPolicy.REQUIRE : dev.petrel.smtp.client.TlsPolicy.OPPORTUNISTIC);
        toClose.add(pool);
        List<Transport.Delivery> out = pool.deliver(RemoteDeliveryTest.oneMx(),
                RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT, "a@dest.test"));
        // the scripted peer offers no STARTTLS
        assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals("4.7.4", out.getFirst().outcome().reply().status().toString());
        assertEquals(0, peer.received.size(), "nothing was sent in the clear");
    }

    /** Slots of one site for a unit test: {@code free} of them for this node, the rest held elsewhere. */
    private static final class CountedSlots implements SiteSlots {
        int free;
        int held;
        int peak;

        CountedSlots(int free) {
            this.free = free;
        }

        @Override
        public synchronized Optional<Slot> take(Lane lane, int slots) {
            if (held >= free) {
                return Optional.empty();
            }
            peak = Math.max(peak, ++held);
            boolean[] released = {false};
            return Optional.of(() -> {
                synchronized (this) {
                    assertFalse(released[0], "a slot is released once");
                    released[0] = true;
                    held--;
                }
            });
        }
    }

    private PooledTransport pool(ScriptedPeer peer, SiteSlots slots) {
        PooledTransport pool = new PooledTransport(RemoteDeliveryTest.delivery(peer.port(), TIMEOUT), 4, 100,
                Duration.ofSeconds(10), clock, domain -> TlsPolicy.OPPORTUNISTIC, TlsReporter.NONE, slots, 2);
        toClose.add(pool);
        return pool;
    }

    @Test
    void aReusedConnectionHoldsOneSlotAndAClosedOneFreesIt() throws Exception {
        ScriptedPeer peer = peer();
        CountedSlots slots = new CountedSlots(2);
        PooledTransport pool = pool(peer, slots);
        for (int i = 0; i < 3; i++) {
            deliverOne(pool, "r" + i + "@dest.test");
        }
        assertEquals(1, slots.held, "the idle connection keeps its slot");
        assertEquals(1, slots.peak);
        pool.close();
        assertEquals(0, slots.held, "closing the pool frees its slots");
    }

    @Test
    void noConnectionIsOpenedWhenEverySlotOfTheSiteIsHeldElsewhere() throws Exception {
        ScriptedPeer peer = peer();
        CountedSlots slots = new CountedSlots(0);
        PooledTransport pool = pool(peer, slots);
        assertThrows(SiteSlots.Busy.class, () -> pool.deliver(RemoteDeliveryTest.oneMx(),
                RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT, "a@dest.test")));
        assertEquals(0, peer.connections());
        slots.free = 1;
        deliverOne(pool, "b@dest.test");
        assertEquals(1, peer.connections());
    }

    @Test
    void anIdleConnectionKeptForAnotherPolicyGivesItsSlotToANewOneOfItsSite() throws Exception {
        ScriptedPeer peer = peer();
        CountedSlots slots = new CountedSlots(1);
        PooledTransport pool = pool(peer, slots);
        deliverOne(pool, "a@dest.test");
        Route plain = RemoteDeliveryTest.oneMx();
        Route.Host host = plain.hosts().getFirst();
        Route secured = new Route(Domain.parse("signed.test"), plain.site(),
                List.of(new Route.Host(host.name(), host.preference(), host.addresses(), true)));
        assertInstanceOf(RecipientOutcome.Delivered.class, pool.deliver(secured,
                RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT, "b@signed.test")).getFirst().outcome());
        assertEquals(2, peer.connections());
        assertEquals(1, slots.peak, "one connection at a time");
    }
}
