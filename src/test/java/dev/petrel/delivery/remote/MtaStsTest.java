package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.petrel.delivery.Transport;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.dns.Route;
import dev.petrel.dns.Site;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.client.TlsPolicy;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MTA-STS (RFC 8461): policies discovered through a real dnsmasq and fetched over HTTPS from a local server whose
 * certificate must verify, cached by id and max_age, and applied to the MX hosts tried.
 */
class MtaStsTest {

    private static final Domain STS = Domain.parse("sts.test");
    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx1.sts.test\r\nmx: *.backup.sts.test\r\n"
            + "max_age: 86400\r\n";

    private static Dnsmasq dns;
    private static HttpsServer https;
    private static TestCertificate certificate;
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static DnsjavaResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        dns = new Dnsmasq("ready.sts.test", List.of("--local=/sts.test/", "--local=/plain.test/",
                "--host-record=ready.sts.test,127.0.0.1",
                "--txt-record=_mta-sts.sts.test,v=STSv1; id=20261129T000000;",
                "--host-record=mta-sts.sts.test,127.0.0.1"));
        resolver = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address())), Clock.systemUTC());
        certificate = new TestCertificate("mta-sts.sts.test");
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            FETCHES.incrementAndGet();
            byte[] body = POLICY.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (https != null) {
            https.stop(0);
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static SSLSocketFactory verifying(KeyStore trust) {
        return new TlsContexts(trust).factory(true);
    }

    private static MtaStsPolicies policies(KeyStore trust, Clock clock) {
        HttpsPolicyFetcher fetcher = new HttpsPolicyFetcher(resolver, verifying(trust), https.getAddress().getPort(),
                Duration.ofSeconds(5));
        return new MtaStsPolicies(resolver, fetcher::fetch, clock);
    }

    @Test
    void aPolicyIsFetchedOverVerifiedHttpsAndKeptForItsMaxAge() throws Exception {
        HandClock clock = new HandClock();
        MtaStsPolicies policies = policies(certificate.trustStore(), clock);
        int before = FETCHES.get();
        MtaStsPolicy policy = policies.policyFor(STS).orElseThrow();
        assertEquals(MtaStsPolicy.Mode.ENFORCE, policy.mode());
        assertEquals(List.of("mx1.sts.test", "*.backup.sts.test"), policy.mx());
        assertEquals("20261129T000000", policy.id());
        assertTrue(policies.enforced(STS));
        assertEquals(before + 1, FETCHES.get(), "the same id is not fetched again");
        clock.advance(Duration.ofDays(2));
        policies.policyFor(STS);
        assertEquals(before + 2, FETCHES.get(), "an expired policy is fetched anew");
        // a domain without a record has no policy
        assertTrue(policies.policyFor(Domain.parse("plain.test")).isEmpty());
    }

    @Test
    void aCertificateThatDoesNotVerifyGivesNoPolicy() throws Exception {
        MtaStsPolicies untrusting = policies(new TestCertificate("mta-sts.sts.test").trustStore(), new HandClock());
        assertTrue(untrusting.policyFor(STS).isEmpty());
    }

    @Test
    void policyFilesAreReadAsRfc8461Says() {
        MtaStsPolicy p = MtaStsPolicy.parse(POLICY, "1");
        assertTrue(p.matches("mx1.sts.test"));
        assertTrue(p.matches("MX1.sts.test."));
        assertTrue(p.matches("a.backup.sts.test"));
        // a wildcard stands for exactly one label
        assertFalse(p.matches("a.b.backup.sts.test"));
        assertFalse(p.matches("backup.sts.test"));
        assertFalse(p.matches("mx2.sts.test"));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\n", "1"));
        assertThrows(IllegalArgumentException.class, () -> MtaStsPolicy.parse("version: STSv2\nmode: none\nmax_age: 1", "1"));
        assertThrows(IllegalArgumentException.class,
                () -> MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 99999999999", "1"));
        assertEquals(MtaStsPolicy.Mode.NONE, MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 60\n", "1").mode());
    }

    @Test
    void underAnEnforcedPolicyOnlyTheNamedMxHostsAreTried() throws Exception {
        List<Route> routes = new ArrayList<>();
        Transport recording = (route, egress, transaction) -> {
            routes.add(route);
            return transaction.recipients().stream().map(r -> new Transport.Delivery(
                    new RecipientOutcome.Delivered(r, dev.petrel.mail.Reply.of(250, null, "ok")), "x")).toList();
        };
        MtaStsTransport transport = new MtaStsTransport(recording, policies(certificate.trustStore(), new HandClock()));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Route.Host impostor = new Route.Host("mx.attacker.test", 5, List.of(loopback));
        Route.Host mx1 = new Route.Host("mx1.sts.test", 10, List.of(loopback));
        Route.Host backup = new Route.Host("b1.backup.sts.test", 20, List.of(loopback));
        Site site = Site.of(List.of("mx.attacker.test", "mx1.sts.test", "b1.backup.sts.test"));
        transport.deliver(new Route(STS, site, List.of(impostor, mx1, backup)), transaction());
        assertEquals(List.of("mx1.sts.test", "b1.backup.sts.test"),
                routes.getFirst().hosts().stream().map(Route.Host::name).toList());
        // no host matches: the mail waits
        List<Transport.Delivery> none = transport.deliver(new Route(STS, Site.of(List.of("mx.attacker.test")),
                List.of(impostor)), transaction());
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, none.getFirst().outcome());
        assertEquals("451 4.7.5", d.reply().code() + " " + d.reply().status());
        assertEquals(1, routes.size());
    }

    /** RFC 8689 4.2.1: a REQUIRETLS message needs MX hosts an MTA-STS policy in enforce mode vouches for. */
    @Test
    void aRequireTlsMessageGoesOnlyToMxHostsAnEnforcedPolicyNames() throws Exception {
        List<Route> routes = new ArrayList<>();
        Transport recording = (route, egress, transaction) -> {
            routes.add(route);
            return transaction.recipients().stream().map(r -> new Transport.Delivery(
                    new RecipientOutcome.Delivered(r, dev.petrel.mail.Reply.of(250, null, "ok")), "x")).toList();
        };
        MtaStsPolicies policies = policies(certificate.trustStore(), new HandClock());
        Transport transport = new RequireTlsTransport(new MtaStsTransport(recording, policies),
                route -> policies.enforced(route.destination()), domain -> TlsPolicy.REQUIRE);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Route.Host impostor = new Route.Host("mx.attacker.test", 5, List.of(loopback));
        Route.Host mx1 = new Route.Host("mx1.sts.test", 10, List.of(loopback));
        Transaction tagged = Transaction.of(transaction().envelope().withRequireTls(true), transaction().content());
        transport.deliver(new Route(STS, Site.of(List.of("mx.attacker.test", "mx1.sts.test")), List.of(impostor, mx1)),
                tagged);
        assertEquals(List.of("mx1.sts.test"), routes.getFirst().hosts().stream().map(Route.Host::name).toList());
        // a domain without a policy: its MX record is vouched for by nothing, and the message is returned
        Domain plain = Domain.parse("plain.test");
        List<Transport.Delivery> refused = transport.deliver(new Route(plain, Site.of(List.of("mx.plain.test")),
                List.of(new Route.Host("mx.plain.test", 10, List.of(loopback)))), tagged);
        RecipientOutcome.Failed f = assertInstanceOf(RecipientOutcome.Failed.class, refused.getFirst().outcome());
        assertEquals("550 5.7.30", f.reply().code() + " " + f.reply().status());
        assertEquals(1, routes.size(), "nothing was tried for plain.test");
    }

    private static Transaction transaction() {
        Envelope env = new Envelope(ReversePath.of(Address.of("a@source.test")), List.of(Recipient.of(Address.of("b@sts.test"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.1", "c.test");
        return Transaction.of(env, "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
