package dev.petrel.delivery.remote;

import dev.petrel.smtp.client.Timeouts;
import dev.petrel.dns.Dnsmasq;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.CONTENT;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.transaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.LoopGuard;
import dev.petrel.dns.MxRouter;
import dev.petrel.dns.Route;
import dev.petrel.dns.Routing;
import dev.petrel.mail.Domain;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.TlsPolicy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A domain routed by its MX records in a real DNS server (dnsmasq), to scripted peers: RFC 5321 5.1 failover. */
class DnsRoutedDeliveryTest {

    @Test
    void theFirstMxFromTheDnsIsDownSoTheSecondGetsTheMail() throws Exception {
        Mx mx = new Mx();
        // a port on which 127.0.0.2 has no listener, and the second MX listens on 127.0.0.3
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = probe.getLocalPort();
        }
        try (ScriptedPeer peer = ScriptedPeer.start("127.0.0.3", port, mx);
                Dnsmasq dns = new Dnsmasq("ready.petrel-test", List.of(
                        "--local=/petrel-test/",
                        "--host-record=ready.petrel-test,127.0.0.1",
                        "--mx-host=dest.petrel-test,mx1.dest.petrel-test,10",
                        "--mx-host=dest.petrel-test,mx2.dest.petrel-test,20",
                        "--host-record=mx1.dest.petrel-test,127.0.0.2",
                        "--host-record=mx2.dest.petrel-test,127.0.0.3"))) {
            mx.bind(peer);
            DnsjavaResolver resolver = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address()))
                    .withTimeout(Duration.ofSeconds(2)), Clock.systemUTC());
            Routing routing = new MxRouter(resolver, new SplittableRandom(1), LoopGuard.none())
                    .route(Domain.parse("dest.petrel-test"));
            Route route = assertInstanceOf(Routing.Routed.class, routing, routing::toString).route();
            assertEquals(List.of("mx1.dest.petrel-test", "mx2.dest.petrel-test"),
                    route.hosts().stream().map(Route.Host::name).toList());

            RemoteDelivery delivery = new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(port)
                    .withTimeouts(Timeouts.uniform(Duration.ofSeconds(3))));
            List<Attempted> out = delivery.attempt(route, transaction(CONTENT, "user@dest.petrel-test"),
                    TlsPolicy.OPPORTUNISTIC);

            assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
            assertEquals("mx2.dest.petrel-test[127.0.0.3]:" + port, out.getFirst().relay());
            assertEquals(List.of("user@dest.petrel-test"), peer.received.getFirst().rcptTo());
            assertArrayEquals(CONTENT, peer.received.getFirst().content());
        }
    }
}
