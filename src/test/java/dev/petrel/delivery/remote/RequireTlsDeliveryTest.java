package dev.petrel.delivery.remote;

import static dev.petrel.delivery.remote.RemoteDeliveryTest.CONTENT;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.DOWN;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.MX1;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.MX2;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.host;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.route;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.delivery.Transport;
import dev.petrel.dns.Route;
import dev.petrel.mail.Address;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REQUIRETLS (RFC 8689 4.2.1) seen from the other end: scripted MX peers over loopback with real TLS, that offer
 * REQUIRETLS after STARTTLS or not, with a certificate that verifies or not. A tagged message goes only where all
 * holds, with REQUIRETLS on MAIL; where nothing does, it is returned with 5.7.30 and never sent.
 */
class RequireTlsDeliveryTest {

    private static TestCertificate mx1Certificate;
    private static TestCertificate mx2Certificate;
    private static KeyStore trustBoth;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        mx1Certificate = new TestCertificate("mx1.dest.test");
        mx2Certificate = new TestCertificate("mx2.dest.test");
        trustBoth = KeyStore.getInstance("PKCS12");
        trustBoth.load(null, null);
        trustBoth.setCertificateEntry("mx1", mx1Certificate.certificate);
        trustBoth.setCertificateEntry("mx2", mx2Certificate.certificate);
    }

    @AfterEach
    void stopPeers() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private List<ScriptedPeer> peers(List<String> addresses, List<Mx> scripts) throws Exception {
        List<ScriptedPeer> peers = ScriptedPeer.startAll(addresses, List.copyOf(scripts));
        for (int i = 0; i < peers.size(); i++) {
            scripts.get(i).bind(peers.get(i));
        }
        toClose.addAll(peers);
        return peers;
    }

    private static Mx mx(TestCertificate certificate, boolean offersRequireTls) throws Exception {
        Mx mx = new Mx();
        mx.tls = certificate == null ? null : certificate.serverContext();
        if (offersRequireTls) {
            mx.tlsExtensions.add("REQUIRETLS");
        }
        return mx;
    }

    private static RemoteDelivery delivery(int port, KeyStore trust) {
        return new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(port)
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(3))).withTrustStore(trust));
    }

    static Transaction tagged(ReversePath sender, String headers) {
        Envelope envelope = new Envelope(sender, List.of(Recipient.of(Address.of("a@dest.test"))),
                Envelope.BodyType.EIGHT_BIT_MIME, false, Envelope.Ret.NONE, null, null, "127.0.0.1", "client.test",
                true);
        byte[] content = (headers + new String(CONTENT, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        return Transaction.of(envelope, content);
    }

    static Transaction tagged() {
        return tagged(ReversePath.of(Address.of("sender@source.test")), "");
    }

    private List<Attempted> attempt(ScriptedPeer peer, Route route, Transaction transaction) {
        return delivery(peer.port(), trustBoth).attempt(route, transaction, TlsPolicy.REQUIRE);
    }

    private static void assertReturned(Attempted attempted) {
        RecipientOutcome.Failed failed = assertInstanceOf(RecipientOutcome.Failed.class, attempted.outcome(),
                attempted::toString);
        assertEquals(EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED, failed.reply().status(), failed.reply()::toString);
        assertEquals(550, failed.reply().code());
    }

    private static boolean sawMailWithRequireTls(ScriptedPeer peer) {
        return peer.transcript.stream().anyMatch(l -> l.startsWith("C: MAIL FROM:") && l.endsWith(" REQUIRETLS"));
    }

    @Test
    void aTaggedMessageGoesOverAuthenticatedTlsWithRequireTlsOnMail() throws Exception {
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(mx1Certificate, true))).getFirst();
        List<Attempted> out = attempt(peer, route(host("mx1.dest.test", 10, MX1)), tagged());
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peer.received.getFirst().tls());
        assertArrayEquals(CONTENT, peer.received.getFirst().content());
        assertTrue(sawMailWithRequireTls(peer), peer.transcript::toString);
    }

    @Test
    void aServerThatDoesNotOfferRequireTlsGetsNothingAndTheMessageIsReturned() throws Exception {
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(mx1Certificate, false))).getFirst();
        List<Attempted> out = attempt(peer, route(host("mx1.dest.test", 10, MX1)), tagged());
        assertReturned(out.getFirst());
        assertTrue(peer.received.isEmpty());
        assertTrue(peer.transcript.stream().noneMatch(l -> l.startsWith("C: MAIL")), peer.transcript::toString);
        assertTrue(peer.transcript.contains("C: QUIT"), "RFC 8689 4.2.1: the client issues QUIT");
    }

    @Test
    void aCertificateThatDoesNotAuthenticateTheHostReturnsTheMessage() throws Exception {
        // the certificate names another host than the MX
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(mx2Certificate, true))).getFirst();
        List<Attempted> out = attempt(peer, route(host("mx1.dest.test", 10, MX1)), tagged());
        assertReturned(out.getFirst());
        assertTrue(peer.received.isEmpty());
        assertEquals(1, peer.connections(), "no second try in clear text");
    }

    @Test
    void aServerWithoutStartTlsReturnsTheMessage() throws Exception {
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(null, true))).getFirst();
        List<Attempted> out = attempt(peer, route(host("mx1.dest.test", 10, MX1)), tagged());
        assertReturned(out.getFirst());
        assertTrue(peer.transcript.stream().noneMatch(l -> l.startsWith("C: MAIL")), peer.transcript::toString);
    }

    @Test
    void theNextMxHostIsTriedWhenTheFirstLacksRequireTls() throws Exception {
        List<ScriptedPeer> peers = peers(List.of(MX1, MX2), List.of(mx(mx1Certificate, false),
                mx(mx2Certificate, true)));
        List<Attempted> out = attempt(peers.getFirst(),
                route(host("mx1.dest.test", 10, MX1), host("mx2.dest.test", 20, MX2)), tagged());
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peers.getFirst().received.isEmpty());
        assertEquals(1, peers.getLast().received.size());
        assertTrue(sawMailWithRequireTls(peers.getLast()), peers.getLast().transcript::toString);
    }

    @Test
    void aHostThatCannotBeReachedLeavesTheMessageWaitingRatherThanReturned() throws Exception {
        // the host that did not answer might offer REQUIRETLS: the message waits for the next attempt
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(mx1Certificate, false))).getFirst();
        List<Attempted> out = attempt(peer, route(host("mx1.dest.test", 10, MX1), host("down.dest.test", 20, DOWN)),
                tagged());
        assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome(), out::toString);
    }

    @Test
    void aTaggedNotificationGoesEvenWhereRequireTlsIsNotOffered() throws Exception {
        // RFC 8689 5: from the null path, REQUIRETLS does not make the notice bounce; it is asked for where offered
        ScriptedPeer lacking = peers(List.of(MX1), List.of(mx(mx1Certificate, false))).getFirst();
        List<Attempted> out = attempt(lacking, route(host("mx1.dest.test", 10, MX1)), tagged(ReversePath.NULL, ""));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertFalse(sawMailWithRequireTls(lacking));
    }

    @Test
    void tlsRequiredNoSetsARequireTlsPolicyAsideForAPeerWithABadCertificate() throws Exception {
        Mx mx = mx(mx2Certificate, false);
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx)).getFirst();
        Envelope untagged = tagged().envelope().withRequireTls(false);
        byte[] content = ("TLS-Required: No\r\n" + new String(CONTENT, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        try (PooledTransport pooled = pooled(peer)) {
            Transport transport = new RequireTlsTransport(pooled, r -> false, d -> TlsPolicy.REQUIRE);
            List<Transport.Delivery> out = transport.deliver(route(host("mx1.dest.test", 10, MX1)),
                    Transaction.of(untagged, content));
            assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
            assertTrue(peer.received.getFirst().tls(), "TLS is still used where offered");
            assertArrayEquals(content, peer.received.getFirst().content(), "the header stays in the message");
            // without the header the same message waits: the certificate does not verify
            List<Transport.Delivery> strict = transport.deliver(route(host("mx1.dest.test", 10, MX1)),
                    Transaction.of(untagged, CONTENT));
            assertInstanceOf(RecipientOutcome.Deferred.class, strict.getFirst().outcome(), strict::toString);
        }
        assertEquals(1, peer.received.size());
    }

    @Test
    void tlsRequiredNoIsIgnoredForATaggedMessage() throws Exception {
        // RFC 8689 4.1: with REQUIRETLS on MAIL the header field is ignored
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(mx2Certificate, true))).getFirst();
        try (PooledTransport pooled = pooled(peer)) {
            Transport transport = new RequireTlsTransport(pooled, r -> true, d -> TlsPolicy.REQUIRE);
            List<Transport.Delivery> out = transport.deliver(route(host("mx1.dest.test", 10, MX1)),
                    tagged(ReversePath.of(Address.of("sender@source.test")), "TLS-Required: No\r\n"));
            RecipientOutcome.Failed failed = assertInstanceOf(RecipientOutcome.Failed.class, out.getFirst().outcome());
            assertEquals(EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED, failed.reply().status());
        }
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void withoutValidatedMxHostsOrAnAuthenticatingPolicyATaggedMessageIsReturnedWithoutConnecting() throws Exception {
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(mx1Certificate, true))).getFirst();
        Route viaMx = route(host("mx1.dest.test", 10, MX1));
        try (PooledTransport pooled = pooled(peer)) {
            // opportunistic TLS authenticates nothing
            assertGateRefuses(new RequireTlsTransport(pooled, r -> true, d -> TlsPolicy.OPPORTUNISTIC), viaMx);
            // RFC 8689 4.2.1: the MX record neither signed (DNSSEC) nor confirmed by an MTA-STS policy
            assertGateRefuses(new RequireTlsTransport(pooled, r -> false, d -> TlsPolicy.REQUIRE), viaMx);
        }
        assertEquals(0, peer.connections());
    }

    @Test
    void anImplicitMxNamedAsTheDomainNeedsNoValidatedMxRecord() throws Exception {
        TestCertificate domainCertificate = new TestCertificate("dest.test");
        ScriptedPeer peer = peers(List.of(MX1), List.of(mx(domainCertificate, true))).getFirst();
        RemoteDelivery delivery = delivery(peer.port(), domainCertificate.trustStore());
        try (PooledTransport pooled = new PooledTransport(delivery, 1, 10, Duration.ofSeconds(5), Clock.systemUTC(),
                d -> TlsPolicy.REQUIRE)) {
            Transport transport = new RequireTlsTransport(pooled, r -> false, d -> TlsPolicy.REQUIRE);
            List<Transport.Delivery> out = transport.deliver(route(host("dest.test", 0, MX1)), tagged());
            assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        }
        assertTrue(sawMailWithRequireTls(peer), peer.transcript::toString);
    }

    private static void assertGateRefuses(Transport transport, Route route) {
        List<Transport.Delivery> out = transport.deliver(route, tagged());
        RecipientOutcome.Failed failed = assertInstanceOf(RecipientOutcome.Failed.class, out.getFirst().outcome(),
                out::toString);
        assertEquals("550 5.7.30", failed.reply().code() + " " + failed.reply().status());
        assertEquals("none", out.getFirst().relay());
    }

    private static PooledTransport pooled(ScriptedPeer peer) {
        return new PooledTransport(delivery(peer.port(), trustBoth), 1, 10, Duration.ofSeconds(5), Clock.systemUTC(),
                d -> TlsPolicy.REQUIRE);
    }
}
