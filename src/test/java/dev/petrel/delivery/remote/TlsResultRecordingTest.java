package dev.petrel.delivery.remote;

import static dev.petrel.delivery.remote.RemoteDeliveryTest.CONTENT;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.MX1;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.oneMx;
import static dev.petrel.delivery.remote.RemoteDeliveryTest.transaction;
import static dev.petrel.delivery.remote.TlsDeliveryTest.offering;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsPolicyType;
import dev.petrel.delivery.TlsResult;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.delivery.TlsResults;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.FakeResolver;
import dev.petrel.mail.Domain;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import dev.petrel.testing.HandClock;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What delivery tells the TLS reports (RFC 8460 4.3) of each new connection to a scripted MX on loopback: the
 * policy that applied (an MTA-STS policy in enforce mode, or none found) and how TLS went.
 */
class TlsResultRecordingTest {

    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx1.dest.test\nmax_age: 86400\n";
    private static final String TESTING = POLICY.replace("enforce", "testing");
    private static final AppliedTlsPolicy STS = new AppliedTlsPolicy(TlsPolicyType.STS,
            List.of("version: STSv1", "mode: enforce", "mx: mx1.dest.test", "max_age: 86400"),
            List.of("mx1.dest.test"));

    private final TestCertificate mx1Certificate;
    private final TestCertificate otherCertificate;
    private final List<TlsResult> recorded = new CopyOnWriteArrayList<>();
    private ScriptedPeer peer;

    TlsResultRecordingTest() throws Exception {
        mx1Certificate = new TestCertificate("mx1.dest.test");
        otherCertificate = new TestCertificate("elsewhere.test");
    }

    @AfterEach
    void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    /** How the domain's MTA-STS policy stands: none published, fetched (enforce or testing), unreachable. */
    private enum Sts { NONE, ENFORCED, TESTING, UNREACHABLE }

    // one message to dest.test over a new connection; what came of its recipient
    private RecipientOutcome deliver(Mx mx, KeyStore trust, Sts sts) throws Exception {
        peer = ScriptedPeer.start(MX1, 0, mx);
        mx.bind(peer);
        HandClock clock = new HandClock();
        FakeResolver dns = new FakeResolver();
        if (sts != Sts.NONE) {
            dns.txt("_mta-sts.dest.test", "v=STSv1; id=20261207;");
        }
        MtaStsPolicies policies = new MtaStsPolicies(dns, domain -> switch (sts) {
            case ENFORCED -> new HttpsPolicyFetcher.Fetched(POLICY, null);
            case TESTING -> new HttpsPolicyFetcher.Fetched(TESTING, null);
            default -> HttpsPolicyFetcher.Fetched.failed(TlsResultType.STS_POLICY_FETCH_ERROR);
        }, clock);
        RemoteDelivery delivery = new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(peer.port())
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(3))).withTrustStore(trust));
        try (PooledTransport transport = new PooledTransport(delivery, 1, 1, Duration.ofSeconds(1), clock,
                domain -> policies.enforced(domain) ? TlsPolicy.REQUIRE : TlsPolicy.OPPORTUNISTIC,
                new TlsReporter(memory(), policies, trust, clock))) {
            List<Transport.Delivery> out = transport.deliver(oneMx(), transaction(CONTENT, "a@dest.test"));
            return out.getFirst().outcome();
        }
    }

    private TlsResults memory() {
        return new TlsResults() {
            @Override
            public void record(TlsResult result) {
                recorded.add(result);
            }

            @Override
            public List<Count> day(LocalDate day) {
                return List.of();
            }

            @Override
            public void forgetBefore(LocalDate day) {}
        };
    }

    private TlsResult only() {
        assertEquals(1, recorded.size(), recorded::toString);
        return recorded.getFirst();
    }

    @Test
    void withoutAPolicyTlsOfferedIsASuccessAndItsAbsenceAFailure() throws Exception {
        assertInstanceOf(RecipientOutcome.Delivered.class, deliver(offering(otherCertificate), null, Sts.NONE));
        TlsResult success = only();
        assertEquals(new TlsResult(success.at(), Domain.parse("dest.test"), AppliedTlsPolicy.NONE_FOUND,
                TlsResultType.SUCCESS, "mx1.dest.test", success.sendingIp(), MX1), success);
        assertEquals("127.0.0.1", success.sendingIp());
        peer.close();
        recorded.clear();
        // RFC 7435: delivered in cleartext all the same, and reported
        assertInstanceOf(RecipientOutcome.Delivered.class, deliver(new Mx(), null, Sts.NONE));
        assertEquals(TlsResultType.STARTTLS_NOT_SUPPORTED, only().result());
    }

    @Test
    void aFailedHandshakeIsReportedOnceThoughTheMessageGoesInCleartext() throws Exception {
        Mx broken = offering(mx1Certificate);
        broken.brokenTls = true;
        assertInstanceOf(RecipientOutcome.Delivered.class, deliver(broken, null, Sts.NONE));
        assertEquals(TlsResultType.VALIDATION_FAILURE, only().result());
    }

    @Test
    void underAnEnforcedMtaStsPolicyAVerifiedCertificateIsASuccessUnderThatPolicy() throws Exception {
        assertInstanceOf(RecipientOutcome.Delivered.class,
                deliver(offering(mx1Certificate), mx1Certificate.trustStore(), Sts.ENFORCED));
        assertEquals(TlsResultType.SUCCESS, only().result());
        assertEquals(STS, only().policy());
    }

    @Test
    void underAnEnforcedPolicyEachTlsFailureIsNamedAsRfc8460Does() throws Exception {
        assertInstanceOf(RecipientOutcome.Deferred.class, deliver(new Mx(), null, Sts.ENFORCED));
        assertEquals(TlsResultType.STARTTLS_NOT_SUPPORTED, only().result());
        assertEquals(STS, only().policy());
        peer.close();
        recorded.clear();
        // a certificate no one vouches for
        assertInstanceOf(RecipientOutcome.Deferred.class,
                deliver(offering(mx1Certificate), otherCertificate.trustStore(), Sts.ENFORCED));
        assertEquals(TlsResultType.CERTIFICATE_NOT_TRUSTED, only().result());
        peer.close();
        recorded.clear();
        // a trusted certificate for another name
        assertInstanceOf(RecipientOutcome.Deferred.class,
                deliver(offering(otherCertificate), otherCertificate.trustStore(), Sts.ENFORCED));
        assertEquals(TlsResultType.CERTIFICATE_HOST_MISMATCH, only().result());
    }

    @Test
    void underAPolicyInTestingModeMailGoesOnAndTheReportSaysWhatVerificationWouldHaveFound() throws Exception {
        assertInstanceOf(RecipientOutcome.Delivered.class,
                deliver(offering(mx1Certificate), mx1Certificate.trustStore(), Sts.TESTING));
        assertEquals(TlsResultType.SUCCESS, only().result());
        assertEquals("mode: testing", only().policy().strings().get(1));
        peer.close();
        recorded.clear();
        assertInstanceOf(RecipientOutcome.Delivered.class,
                deliver(offering(mx1Certificate), otherCertificate.trustStore(), Sts.TESTING));
        assertEquals(TlsResultType.CERTIFICATE_NOT_TRUSTED, only().result());
        peer.close();
        recorded.clear();
        assertInstanceOf(RecipientOutcome.Delivered.class,
                deliver(offering(otherCertificate), otherCertificate.trustStore(), Sts.TESTING));
        assertEquals(TlsResultType.CERTIFICATE_HOST_MISMATCH, only().result());
    }

    @Test
    void aPublishedPolicyThatCannotBeFetchedIsReportedInPlaceOfTheSessionsSuccess() throws Exception {
        assertInstanceOf(RecipientOutcome.Delivered.class, deliver(offering(otherCertificate), null, Sts.UNREACHABLE));
        assertEquals(TlsResultType.STS_POLICY_FETCH_ERROR, only().result());
        assertEquals(new AppliedTlsPolicy(TlsPolicyType.STS, List.of(), List.of()), only().policy());
    }
}
