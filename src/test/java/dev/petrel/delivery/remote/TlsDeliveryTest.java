package dev.petrel.delivery.remote;

import static dev.petrel.delivery.remote.RemoteDeliveryTest.CONTENT;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.MX1;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.oneMx;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.transaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** STARTTLS as RFC 3207 and RFC 7435 have it: taken when offered, required and verified when the policy says so. */
class TlsDeliveryTest {

    // RFC 3463 3.8: X.7.4 Security features not supported; X.7.5 Cryptographic failure
    static final EnhancedStatus TLS_NOT_SUPPORTED = new EnhancedStatus(4, 7, 4);
    static final EnhancedStatus TLS_FAILED = new EnhancedStatus(4, 7, 5);

    static TestCertificate mx1Certificate;
    static TestCertificate otherCertificate;

    private ScriptedPeer peer;

    @BeforeAll
    static void makeCertificates() throws Exception {
        mx1Certificate = new TestCertificate("mx1.dest.test");
        otherCertificate = new TestCertificate("elsewhere.test");
    }

    @AfterEach
    void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    private ScriptedPeer start(Mx mx) throws Exception {
        peer = ScriptedPeer.start(MX1, 0, mx);
        mx.bind(peer);
        return peer;
    }

    private static RemoteDelivery delivery(int port, KeyStore trust) {
        return new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(port)
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(3))).withTrustStore(trust));
    }

    private List<Attempted> deliver(Mx mx, KeyStore trust, TlsPolicy policy) throws Exception {
        start(mx);
        return delivery(peer.port(), trust).attempt(oneMx(), transaction(CONTENT, "a@dest.test"), policy);
    }

    static Mx offering(TestCertificate certificate) throws Exception {
        Mx mx = new Mx();
        mx.tls = certificate.serverContext();
        return mx;
    }

    @Test
    void opportunisticTlsTakesAnUnverifiableCertificate() throws Exception {
        List<Attempted> out = deliver(offering(otherCertificate), null, TlsPolicy.OPPORTUNISTIC);
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peer.received.getFirst().tls());
        assertArrayEquals(CONTENT, peer.received.getFirst().content());
        // RFC 3207 4.2: EHLO again after the handshake
        assertEquals(2, peer.transcript.stream().filter(l -> l.startsWith("C: EHLO")).count(), peer.transcript::toString);
    }

    @Test
    void requiredTlsDeliversWhenTheCertificateIsTrustedAndNamesTheMx() throws Exception {
        List<Attempted> out = deliver(offering(mx1Certificate), mx1Certificate.trustStore(), TlsPolicy.REQUIRE);
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peer.received.getFirst().tls());
    }

    @Test
    void requiredTlsDefersWhenTheCertificateIsNotTrusted() throws Exception {
        // the JDK's trust store does not know the self-signed certificate
        List<Attempted> out = deliver(offering(mx1Certificate), null, TlsPolicy.REQUIRE);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals(TLS_FAILED, d.reply().status(), d.reply()::toString);
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void requiredTlsDefersWhenTheCertificateNamesAnotherHost() throws Exception {
        List<Attempted> out = deliver(offering(otherCertificate), otherCertificate.trustStore(), TlsPolicy.REQUIRE);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals(TLS_FAILED, d.reply().status(), d.reply()::toString);
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void withoutStartTlsOfferedOpportunisticDeliversInPlaintext() throws Exception {
        List<Attempted> out = deliver(new Mx(), null, TlsPolicy.OPPORTUNISTIC);
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertFalse(peer.received.getFirst().tls());
        assertFalse(peer.transcript.contains("C: STARTTLS"));
    }

    @Test
    void withoutStartTlsOfferedRequiredTlsDefersWith474() throws Exception {
        List<Attempted> out = deliver(new Mx(), null, TlsPolicy.REQUIRE);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals(TLS_NOT_SUPPORTED, d.reply().status(), d.reply()::toString);
        assertTrue(peer.transcript.stream().noneMatch(l -> l.startsWith("C: MAIL")), peer.transcript::toString);
    }

    @Test
    void aBrokenHandshakeIsRetriedInPlaintextWhenTlsIsOpportunistic() throws Exception {
        Mx mx = offering(mx1Certificate);
        mx.brokenTls = true;
        List<Attempted> out = deliver(mx, null, TlsPolicy.OPPORTUNISTIC);
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertEquals(2, peer.connections());
        ScriptedPeer.Received got = peer.received.getFirst();
        assertEquals(2, got.connection());
        assertFalse(got.tls());
        assertArrayEquals(CONTENT, got.content());
        assertEquals(1, peer.transcript.stream().filter("C: STARTTLS"::equals).count(), peer.transcript::toString);
    }

    @Test
    void aBrokenHandshakeDefersWhenTlsIsRequired() throws Exception {
        Mx mx = offering(mx1Certificate);
        mx.brokenTls = true;
        List<Attempted> out = deliver(mx, mx1Certificate.trustStore(), TlsPolicy.REQUIRE);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals(TLS_FAILED, d.reply().status(), d.reply()::toString);
        assertEquals(1, peer.connections());
    }
}
