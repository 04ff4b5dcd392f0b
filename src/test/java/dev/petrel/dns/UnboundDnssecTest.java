package dev.petrel.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Domain;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNSSEC as RFC 7672 2.1 needs it, against a real validating resolver (unbound) serving a zone signed by ldnsutils:
 * answers from the signed zone are secure, those of an unsigned zone are not, a bogus answer is a failure, and
 * without {@code dnssec} no answer is ever secure.
 */
class UnboundDnssecTest {

    private static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static Unbound unbound;

    @BeforeAll
    static void start() throws Exception {
        unbound = new Unbound(List.of(
                Unbound.Zone.signed("secure.test", List.of(
                        "secure.test. IN MX 10 mx.secure.test.",
                        "mx.secure.test. IN A 127.0.0.1",
                        "_25._tcp.mx.secure.test. IN TLSA 3 1 1 " + HASH,
                        "bogus.secure.test. IN A 127.0.0.1",
                        "nomx.secure.test. IN A 127.0.0.1",
                        "_25._tcp.bogus.secure.test. IN TLSA 3 1 1 " + HASH.replace('0', 'e')))
                        // a changed record no longer matches its signature: the resolver calls it bogus
                        .tampered(zone -> zone.replace(HASH.replace('0', 'e'), HASH.replace('0', 'f'))),
                Unbound.Zone.unsigned("insecure.test", List.of(
                        "insecure.test. IN MX 10 mx.insecure.test.",
                        "mx.insecure.test. IN A 127.0.0.1",
                        "_25._tcp.mx.insecure.test. IN TLSA 3 1 1 " + HASH))), "mx.secure.test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (unbound != null) {
            unbound.close();
        }
    }

    private static DnsjavaResolver resolver(boolean dnssec) {
        return new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(unbound.address())).withDnssec(dnssec),
                Clock.systemUTC());
    }

    @Test
    void answersFromTheSignedZoneAreSecure() {
        DnsjavaResolver dns = resolver(true);
        assertTrue(dns.lookupMx("secure.test").secure());
        assertTrue(dns.lookupAddresses("mx.secure.test").secure());
        Lookup.Found<TlsaRecord> tlsa = assertInstanceOf(Lookup.Found.class, dns.lookupTlsa("_25._tcp.mx.secure.test"));
        assertTrue(tlsa.secure());
        assertEquals(new TlsaRecord(3, 1, 1, HexFormat.of().parseHex(HASH)), tlsa.records().getFirst());
        // RFC 4035 3.1.3: authenticated denial of existence is secure too
        Lookup<TlsaRecord> none = dns.lookupTlsa("_25._tcp.nothing.secure.test");
        assertInstanceOf(Lookup.NoSuchDomain.class, none);
        assertTrue(none.secure());
    }

    @Test
    void answersFromAnUnsignedZoneAreNotSecure() {
        DnsjavaResolver dns = resolver(true);
        assertFalse(dns.lookupMx("insecure.test").secure());
        Lookup<TlsaRecord> tlsa = dns.lookupTlsa("_25._tcp.mx.insecure.test");
        assertInstanceOf(Lookup.Found.class, tlsa);
        assertFalse(tlsa.secure());
    }

    @Test
    void aBogusAnswerIsATemporaryFailure() {
        assertInstanceOf(Lookup.TemporaryFailure.class, resolver(true).lookupTlsa("_25._tcp.bogus.secure.test"));
    }

    @Test
    void withoutDnssecTheAdBitIsNotBelieved() {
        DnsjavaResolver dns = resolver(false);
        assertFalse(dns.lookupMx("secure.test").secure());
        assertFalse(dns.lookupTlsa("_25._tcp.mx.secure.test").secure());
    }

    @Test
    void routesMarkHostsWhoseMxAndAddressesAreSecure() {
        MxRouter secure = new MxRouter(resolver(true), new Random(1), new LoopGuard(List.of("petrel.test"), List.of()));
        Routing.Routed routed = assertInstanceOf(Routing.Routed.class, secure.route(Domain.parse("secure.test")));
        assertTrue(routed.route().hosts().getFirst().secure());
        // RFC 7672 2.2.2: without MX records, the domain's own secure addresses make it a DANE candidate
        Routing.Routed implicit = assertInstanceOf(Routing.Routed.class, secure.route(Domain.parse("nomx.secure.test")));
        assertTrue(implicit.route().hosts().getFirst().secure());
        Routing.Routed plain = assertInstanceOf(Routing.Routed.class, secure.route(Domain.parse("insecure.test")));
        assertFalse(plain.route().hosts().getFirst().secure());
        MxRouter unvalidated = new MxRouter(resolver(false), new Random(1),
                new LoopGuard(List.of("petrel.test"), List.of()));
        Routing.Routed believed = assertInstanceOf(Routing.Routed.class,
                unvalidated.route(Domain.parse("secure.test")));
        assertFalse(believed.route().hosts().getFirst().secure());
    }
}
