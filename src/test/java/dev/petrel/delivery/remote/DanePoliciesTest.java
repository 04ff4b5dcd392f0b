package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.Lookup;
import dev.petrel.dns.MxRecord;
import dev.petrel.dns.Resolver;
import dev.petrel.dns.Route;
import dev.petrel.dns.Site;
import dev.petrel.dns.TlsaRecord;
import dev.petrel.mail.Domain;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7672 2.2's decision per MX host, from the security of its DNS answers, over a resolver that answers one way. */
class DanePoliciesTest {

    private static final TlsaRecord EE = new TlsaRecord(3, 1, 1, new byte[32]);
    private static final TlsaRecord PKIX = new TlsaRecord(1, 1, 1, new byte[32]);

    /** Answers every TLSA question with {@code tlsa}, and notes the names asked. */
    private static final class TlsaOnly implements Resolver {
        final Lookup<TlsaRecord> tlsa;
        final List<String> asked = new ArrayList<>();

        TlsaOnly(Lookup<TlsaRecord> tlsa) {
            this.tlsa = tlsa;
        }

        @Override
        public Lookup<TlsaRecord> lookupTlsa(String name) {
            asked.add(name);
            return tlsa;
        }

        @Override
        public Lookup<MxRecord> lookupMx(String name) {
            return new Lookup.NoRecords<>();
        }

        @Override
        public Lookup<Inet4Address> lookupA(String name) {
            return new Lookup.NoRecords<>();
        }

        @Override
        public Lookup<Inet6Address> lookupAaaa(String name) {
            return new Lookup.NoRecords<>();
        }

        @Override
        public Lookup<String> lookupTxt(String name) {
            return new Lookup.NoRecords<>();
        }

        @Override
        public Lookup<String> lookupPtr(String name) {
            return new Lookup.NoRecords<>();
        }
    }

    private static Route.Host host(boolean secure) {
        return new Route.Host("mx.example.test", 10, List.of(InetAddress.getLoopbackAddress()), secure);
    }

    private static HostDane decide(Lookup<TlsaRecord> answer, boolean hostSecure) {
        return new DanePolicies(new TlsaOnly(answer)).forHost(host(hostSecure));
    }

    @Test
    void secureUsableRecordsMeanAuthentication() {
        HostDane.Authenticate a = assertInstanceOf(HostDane.Authenticate.class,
                decide(new Lookup.Found<>(List.of(EE, PKIX), Duration.ofMinutes(5), true), true));
        assertEquals(List.of(EE), a.usable(), "PKIX-EE is left out (RFC 7672 3.1.3)");
    }

    @Test
    void secureRecordsAllUnusableMeanTlsWithoutAuthentication() {
        assertInstanceOf(HostDane.EncryptOnly.class,
                decide(new Lookup.Found<>(List.of(PKIX), Duration.ofMinutes(5), true), true));
    }

    @Test
    void insecureRecordsOrDenialMeanNoDane() {
        assertInstanceOf(HostDane.None.class, decide(new Lookup.Found<>(List.of(EE), Duration.ofMinutes(5)), true));
        assertInstanceOf(HostDane.None.class, decide(new Lookup.NoRecords<>(true), true));
        assertInstanceOf(HostDane.None.class, decide(new Lookup.NoSuchDomain<>(true), true));
    }

    @Test
    void aFailedLookupMakesTheHostUnusable() {
        assertInstanceOf(HostDane.LookupFailed.class, decide(new Lookup.TemporaryFailure<>("SERVFAIL"), true));
    }

    @Test
    void anInsecureHostIsNotAskedAtAll() {
        TlsaOnly resolver = new TlsaOnly(new Lookup.Found<>(List.of(EE), Duration.ofMinutes(5), true));
        DanePolicies dane = new DanePolicies(resolver);
        assertInstanceOf(HostDane.None.class, dane.forHost(host(false)));
        assertTrue(resolver.asked.isEmpty());
        assertInstanceOf(HostDane.Authenticate.class, dane.forHost(host(true)));
        assertEquals(List.of("_25._tcp.mx.example.test"), resolver.asked);
        assertInstanceOf(HostDane.None.class, DanePolicies.OFF.forHost(host(true)));
        assertFalse(DanePolicies.OFF.applies(new Route(Domain.parse("example.test"),
                Site.of(List.of("mx.example.test")), List.of(host(true)))));
    }
}
