package dev.petrel.delivery.remote;

import static dev.petrel.delivery.remote.RemoteDeliveryTest.CONTENT;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.transaction;
import static dev.petrel.delivery.remote.TlsaMatcherTest.tlsa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.delivery.Transport;
import dev.petrel.delivery.remote.TlsOutcome.Failure;
import dev.petrel.delivery.remote.TlsOutcome.PolicyType;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.LoopGuard;
import dev.petrel.dns.MxRouter;
import dev.petrel.dns.Route;
import dev.petrel.dns.Routing;
import dev.petrel.dns.Unbound;
import dev.petrel.mail.Domain;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DANE for SMTP (RFC 7672) seen from the other end: Debian's unbound validates a zone signed by ldns-signzone
 * with MX, A and TLSA records, Petrel routes and looks up TLSA through it, and scripted MX hosts on 127.0.0.161-165
 * (no other test uses them) present certificates that match or do not.
 */
class DaneDeliveryTest {

    private static final String DANE_EE = "127.0.0.161";
    private static final String UNUSABLE = "127.0.0.162";
    private static final String DANE_TA = "127.0.0.163";
    private static final String BOGUS = "127.0.0.164";
    private static final String PLAIN = "127.0.0.165";
    private static final String WRONG = "9999999999999999999999999999999999999999999999999999999999999999";

    private static TestCertificate endEntity;
    private static TestCertificate stranger;
    private static TestCertificate authority;
    private static TestCertificate signedForMx;
    private static TestCertificate signedForElsewhere;
    private static Unbound unbound;
    private static DnsjavaResolver resolver;

    private final List<TlsOutcome> outcomes = new CopyOnWriteArrayList<>();
    private ScriptedPeer peer;

    @BeforeAll
    static void start() throws Exception {
        endEntity = new TestCertificate("mx.dane.test");
        stranger = new TestCertificate("mx.dane.test");
        authority = TestCertificate.authority("Test DANE CA");
        signedForMx = new TestCertificate("mx.ta.dane.test", authority);
        signedForElsewhere = new TestCertificate("mx.elsewhere.test", authority);
        unbound = new Unbound(List.of(Unbound.Zone.signed("dane.test", List.of(
                "dane.test. IN MX 10 mx.dane.test.",
                "_mta-sts.dane.test. IN TXT \"v=STSv1; id=1;\"",
                "mx.dane.test. IN A " + DANE_EE,
                "_25._tcp.mx.dane.test. IN TLSA " + tlsa(3, 1, 1, endEntity.certificate),
                "unusable.dane.test. IN MX 10 mx.unusable.dane.test.",
                "mx.unusable.dane.test. IN A " + UNUSABLE,
                "_25._tcp.mx.unusable.dane.test. IN TLSA " + tlsa(1, 1, 1, endEntity.certificate),
                "ta.dane.test. IN MX 10 mx.ta.dane.test.",
                "mx.ta.dane.test. IN A " + DANE_TA,
                "_25._tcp.mx.ta.dane.test. IN TLSA " + tlsa(2, 0, 1, authority.certificate),
                "bogus.dane.test. IN MX 10 mx.bogus.dane.test.",
                "mx.bogus.dane.test. IN A " + BOGUS,
                "_25._tcp.mx.bogus.dane.test. IN TLSA 3 1 1 " + WRONG))
                        .tampered(zone -> zone.replace(WRONG, WRONG.replace('9', '8'))),
                Unbound.Zone.unsigned("plain.test", List.of(
                        "plain.test. IN MX 10 mx.plain.test.",
                        "mx.plain.test. IN A " + PLAIN,
                        "_25._tcp.mx.plain.test. IN TLSA 3 1 1 " + WRONG))), "mx.dane.test");
        resolver = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(unbound.address())).withDnssec(true),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        if (unbound != null) {
            unbound.close();
        }
    }

    @AfterEach
    void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    private List<Attempted> deliver(String domain, String address, Mx mx) throws Exception {
        RemoteDelivery delivery = start(address, mx);
        return delivery.attempt(route(domain), transaction(CONTENT, "a@" + domain), TlsPolicy.OPPORTUNISTIC);
    }

    /** A scripted MX on {@code address}, and remote delivery with DANE to its port. */
    private RemoteDelivery start(String address, Mx mx) throws Exception {
        stopPeer();
        peer = ScriptedPeer.start(address, 0, mx);
        mx.bind(peer);
        return new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(peer.port())
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(3))), new DanePolicies(resolver), outcomes::add,
                Clock.systemUTC());
    }

    private static Route route(String domain) {
        MxRouter router = new MxRouter(resolver, new Random(1), new LoopGuard(List.of("petrel.source.test"), List.of()));
        return assertInstanceOf(Routing.Routed.class, router.route(Domain.parse(domain))).route();
    }

    private static Mx offering(TestCertificate certificate) throws Exception {
        Mx mx = new Mx();
        mx.tls = certificate.serverContext();
        return mx;
    }

    private RecipientOutcome.Deferred deferred(List<Attempted> out) {
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome(),
                out::toString);
        assertTrue(d.reply().summary().contains("DANE failed"), d.reply()::toString);
        assertTrue(peer.received.isEmpty(), "nothing is delivered");
        return d;
    }

    @Test
    void aCertificateMatchingItsDaneEeRecordIsDeliveredOverAuthenticatedTls() throws Exception {
        List<Attempted> out = deliver("dane.test", DANE_EE, offering(endEntity));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peer.received.getFirst().tls());
        assertArrayEquals(CONTENT, peer.received.getFirst().content());
        TlsOutcome tls = outcomes.getLast();
        assertEquals(PolicyType.TLSA, tls.policy());
        assertTrue(tls.authenticated() && tls.succeeded() && tls.encrypted(), tls::toString);
        assertEquals("dane.test", tls.policyDomain());
        assertEquals("mx.dane.test", tls.host());
    }

    @Test
    void aServerThatFailsAfterAnAuthenticatedHandshakeStillCountsAsATlsSuccess() throws Exception {
        Mx mx = offering(endEntity);
        mx.rcpt = address -> "421 4.3.2 Shutting down";
        List<Attempted> out = deliver("dane.test", DANE_EE, mx);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertFalse(d.reply().summary().contains("DANE"), d.reply()::toString);
        TlsOutcome tls = outcomes.getLast();
        assertTrue(tls.succeeded() && tls.authenticated(), tls::toString);
    }

    @Test
    void aCertificateMatchingNoTlsaRecordIsDeferredWithTheReason() throws Exception {
        List<Attempted> out = deliver("dane.test", DANE_EE, offering(stranger));
        RecipientOutcome.Deferred d = deferred(out);
        assertEquals(HostTls.DANE_FAILED, d.reply().status());
        assertTrue(d.reply().summary().contains("matches no TLSA record"), d.reply()::toString);
        assertEquals(Failure.VALIDATION_FAILURE, outcomes.getLast().failure());
        assertEquals(PolicyType.TLSA, outcomes.getLast().policy());
    }

    @Test
    void aHostWithTlsaRecordsThatOffersNoStartTlsGetsNoMail() throws Exception {
        List<Attempted> out = deliver("dane.test", DANE_EE, new Mx());
        RecipientOutcome.Deferred d = deferred(out);
        assertEquals(HostTls.NOT_SUPPORTED, d.reply().status());
        assertTrue(peer.transcript.stream().noneMatch(l -> l.startsWith("C: MAIL")), peer.transcript::toString);
        assertEquals(Failure.STARTTLS_NOT_SUPPORTED, outcomes.getLast().failure());
    }

    @Test
    void anUnsignedDomainGetsOrdinaryOpportunisticTls() throws Exception {
        // its TLSA record matches nothing, but an insecure answer means no DANE (RFC 7672 2.2)
        List<Attempted> out = deliver("plain.test", PLAIN, offering(stranger));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peer.received.getFirst().tls());
        TlsOutcome tls = outcomes.getLast();
        assertEquals(PolicyType.NO_POLICY_FOUND, tls.policy());
        assertFalse(tls.authenticated());
    }

    @Test
    void aDaneTaRecordAuthenticatesACertificateItsAuthoritySignedForTheMx() throws Exception {
        List<Attempted> out = deliver("ta.dane.test", DANE_TA, offering(signedForMx));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(outcomes.getLast().authenticated());
        assertEquals(PolicyType.TLSA, outcomes.getLast().policy());
    }

    @Test
    void aDaneTaRecordRefusesACertificateForAnotherName() throws Exception {
        List<Attempted> out = deliver("ta.dane.test", DANE_TA, offering(signedForElsewhere));
        RecipientOutcome.Deferred d = deferred(out);
        assertTrue(d.reply().summary().contains("certificate-host-mismatch"), d.reply()::toString);
        assertEquals(Failure.CERTIFICATE_HOST_MISMATCH, outcomes.getLast().failure());
    }

    @Test
    void aBogusTlsaAnswerDefersWithoutConnecting() throws Exception {
        List<Attempted> out = deliver("bogus.dane.test", BOGUS, offering(endEntity));
        RecipientOutcome.Deferred d = deferred(out);
        assertTrue(d.reply().summary().contains("dnssec-invalid"), d.reply()::toString);
        assertEquals(0, peer.connections(), "never in cleartext, nor at all");
        assertEquals(Failure.DNSSEC_INVALID, outcomes.getLast().failure());
    }

    @Test
    void daneWinsOverAnEnforcedMtaStsPolicyThatNamesOtherHosts() throws Exception {
        // RFC 8461 2: where the MX hosts have secure TLSA records, DANE decides and MTA-STS is not applied
        RemoteDelivery delivery = start(DANE_EE, offering(endEntity));
        MtaStsPolicies sts = new MtaStsPolicies(resolver, domain -> new HttpsPolicyFetcher.Fetched(
                "version: STSv1\nmode: enforce\nmx: mx.elsewhere.test\nmax_age: 86400\n", null), Clock.systemUTC());
        Route route = route("dane.test");
        List<Transport.Delivery> underSts = new MtaStsTransport(delivery, sts).deliver(route,
                transaction(CONTENT, "a@dane.test"));
        assertInstanceOf(RecipientOutcome.Deferred.class, underSts.getFirst().outcome(), underSts::toString);
        List<Transport.Delivery> underDane = new MtaStsTransport(delivery, sts, new DanePolicies(resolver))
                .deliver(route, transaction(CONTENT, "a@dane.test"));
        assertInstanceOf(RecipientOutcome.Delivered.class, underDane.getFirst().outcome(), underDane::toString);
        assertEquals(PolicyType.TLSA, outcomes.getLast().policy());
    }

    @Test
    void onlyUnusableTlsaRecordsMakeTlsMandatoryButNotAuthenticated() throws Exception {
        // RFC 7672 3.1.3: PKIX-EE(1) is unusable for SMTP; the secure RRset still says TLS is there
        List<Attempted> out = deliver("unusable.dane.test", UNUSABLE, offering(stranger));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
        assertTrue(peer.received.getFirst().tls());
        assertFalse(outcomes.getLast().authenticated());
        assertEquals(PolicyType.TLSA, outcomes.getLast().policy());
        List<Attempted> cleartext = deliver("unusable.dane.test", UNUSABLE, new Mx());
        assertInstanceOf(RecipientOutcome.Deferred.class, cleartext.getFirst().outcome(), cleartext::toString);
    }
}
