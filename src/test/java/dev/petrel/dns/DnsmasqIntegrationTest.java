package dev.petrel.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DnsjavaResolver and MxRouter against a real DNS server: dnsmasq on 127.0.0.1 serving the made-up zone
 * {@code petrel-test}. Only this server is ever asked; the tests never read resolv.conf.
 */
class DnsmasqIntegrationTest {

    private static Dnsmasq dnsmasq;
    private static DnsjavaResolver resolver;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        dnsmasq = new Dnsmasq("ready.petrel-test", List.of(
                "--local=/petrel-test/",
                "--local-ttl=300",
                "--host-record=ready.petrel-test,127.0.0.1",
                // MX preferences 5 (no address), 10, 20, 20
                "--mx-host=multi.petrel-test,noaddr.multi.petrel-test,5",
                "--mx-host=multi.petrel-test,mx1.multi.petrel-test,10",
                "--mx-host=multi.petrel-test,mx2.multi.petrel-test,20",
                "--mx-host=multi.petrel-test,mx3.multi.petrel-test,20",
                "--host-record=mx1.multi.petrel-test,127.0.0.11,::11",
                "--host-record=mx2.multi.petrel-test,127.0.0.12",
                "--host-record=mx3.multi.petrel-test,127.0.0.13,::13",
                // no MX: the implicit MX
                "--host-record=implicit.petrel-test,127.0.0.21,::21",
                // RFC 7505 null MX
                "--mx-host=nullmx.petrel-test,.,0",
                // a CNAME to an MX-bearing name, and an MX whose exchange is a CNAME
                "--cname=alias.petrel-test,multi.petrel-test",
                "--cname=mail.petrel-test,mx1.multi.petrel-test",
                "--mx-host=viacname.petrel-test,mail.petrel-test,10",
                // TXT: one string, and a record of two strings
                "--txt-record=txt.petrel-test,v=spf1 -all",
                "--txt-record=dkim.petrel-test,v=DKIM1; p=AB,CD",
                // an MX pointing at Petrel itself
                "--mx-host=self.petrel-test,mx.petrel.petrel-test,10",
                "--host-record=mx.petrel.petrel-test,127.0.0.99",
                // NXDOMAIN for a whole subtree
                "--address=/gone.petrel-test/"));
        resolver = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dnsmasq.address()))
                .withTimeout(Duration.ofSeconds(2)), Clock.systemUTC());
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private static MxRouter router(LoopGuard guard) {
        return new MxRouter(resolver, new SplittableRandom(11), guard);
    }

    private static Route routed(String domain) {
        Routing routing = router(LoopGuard.none()).route(Domain.parse(domain));
        return assertInstanceOf(Routing.Routed.class, routing, routing::toString).route();
    }

    private static InetAddress ip(String literal) {
        return FakeResolver.literal(literal);
    }

    // the resolver: records, NODATA, NXDOMAIN, REFUSED

    @Test
    void mxRecordsComeWithTheirPreferencesAndTtl() {
        Lookup.Found<?> found = assertInstanceOf(Lookup.Found.class, resolver.lookupMx("multi.petrel-test"));
        assertEquals(Set.of(new MxRecord(5, "noaddr.multi.petrel-test"), new MxRecord(10, "mx1.multi.petrel-test"),
                new MxRecord(20, "mx2.multi.petrel-test"), new MxRecord(20, "mx3.multi.petrel-test")), Set.copyOf(found.records()));
        assertTrue(found.ttl().compareTo(Duration.ZERO) > 0 && found.ttl().compareTo(Duration.ofSeconds(300)) <= 0, found.ttl()::toString);
    }

    @Test
    void addressesOfBothFamiliesAreFound() {
        assertEquals(List.of(ip("127.0.0.11"), ip("::11")), resolver.lookupAddresses("mx1.multi.petrel-test").records());
        assertEquals(List.of(ip("127.0.0.11")), resolver.lookupA("mx1.multi.petrel-test").records());
        assertEquals(List.of(ip("::11")), resolver.lookupAaaa("mx1.multi.petrel-test").records());
    }

    @Test
    void aNameWithoutRecordsOfTheTypeIsNoData() {
        assertInstanceOf(Lookup.NoRecords.class, resolver.lookupMx("implicit.petrel-test"));
        assertInstanceOf(Lookup.NoRecords.class, resolver.lookupAaaa("mx2.multi.petrel-test"));
    }

    @Test
    void unknownAndRemovedNamesAreNxdomain() {
        assertInstanceOf(Lookup.NoSuchDomain.class, resolver.lookupMx("unknown.petrel-test"));
        assertInstanceOf(Lookup.NoSuchDomain.class, resolver.lookupMx("gone.petrel-test"));
        assertInstanceOf(Lookup.NoSuchDomain.class, resolver.lookupAddresses("deep.gone.petrel-test"));
    }

    @Test
    void aNameOutsideDnsmasqsZonesIsRefusedWhichIsTemporary() {
        // with no upstream, dnsmasq answers REFUSED for names it is not local for: not an NXDOMAIN
        Lookup<?> lookup = resolver.lookupMx("elsewhere.invalid");
        assertTrue(assertInstanceOf(Lookup.TemporaryFailure.class, lookup).reason().contains("REFUSED"), lookup::toString);
    }

    @Test
    void txtRecordsAreReadWholeWithTheirStringsJoined() {
        assertEquals(List.of("v=spf1 -all"), resolver.lookupTxt("txt.petrel-test").records());
        assertEquals(List.of("v=DKIM1; p=ABCD"), resolver.lookupTxt("dkim.petrel-test").records());
    }

    @Test
    void aCnameToAnMxBearingNameGivesItsMxRecords() {
        assertEquals(Set.copyOf(resolver.lookupMx("multi.petrel-test").records()),
                Set.copyOf(resolver.lookupMx("alias.petrel-test").records()));
        assertEquals(List.of(ip("127.0.0.11"), ip("::11")), resolver.lookupAddresses("mail.petrel-test").records());
    }

    // the router over the real server

    @Test
    void mxHostsAreOrderedAndTheHostWithoutAddressIsSkipped() {
        Route route = routed("multi.petrel-test");
        List<String> names = route.hosts().stream().map(Route.Host::name).toList();
        assertEquals("mx1.multi.petrel-test", names.getFirst());
        assertEquals(Set.of("mx2.multi.petrel-test", "mx3.multi.petrel-test"), Set.copyOf(names.subList(1, 3)));
        assertEquals(List.of(ip("127.0.0.11"), ip("::11")), route.hosts().getFirst().addresses());
        assertEquals(new Site("mx1.multi.petrel-test,mx2.multi.petrel-test,mx3.multi.petrel-test,noaddr.multi.petrel-test"),
                route.site());
    }

    @Test
    void equalPreferencesAreShuffled() {
        MxRouter router = router(LoopGuard.none());
        Set<String> seconds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Routing routing = router.route(Domain.parse("multi.petrel-test"));
            seconds.add(((Routing.Routed) routing).route().hosts().get(1).name());
        }
        assertEquals(Set.of("mx2.multi.petrel-test", "mx3.multi.petrel-test"), seconds);
    }

    @Test
    void aDomainWithOnlyAddressesIsItsOwnMx() {
        Route route = routed("implicit.petrel-test");
        assertEquals(List.of(new Route.Host("implicit.petrel-test", 0, List.of(ip("127.0.0.21"), ip("::21")))), route.hosts());
    }

    @Test
    void aDomainAliasedByCnameRoutesToTheTargetsMxHosts() {
        Route route = routed("alias.petrel-test");
        assertEquals(new Domain("alias.petrel-test"), route.destination());
        assertEquals(routed("multi.petrel-test").site(), route.site());
    }

    @Test
    void anMxExchangeThatIsACnameIsFollowedToItsAddresses() {
        assertEquals(List.of(ip("127.0.0.11"), ip("::11")), routed("viacname.petrel-test").hosts().getFirst().addresses());
    }

    @Test
    void aNullMxServedByDnsmasqBouncesWith5110() {
        Routing routing = router(LoopGuard.none()).route(Domain.parse("nullmx.petrel-test"));
        assertEquals(new EnhancedStatus(5, 1, 10), assertInstanceOf(Routing.Failed.class, routing).reply().status());
    }

    @Test
    void anNxdomainBouncesWith512() {
        Routing routing = router(LoopGuard.none()).route(Domain.parse("gone.petrel-test"));
        assertEquals(new EnhancedStatus(5, 1, 2), assertInstanceOf(Routing.Failed.class, routing).reply().status());
    }

    @Test
    void anMxPointingAtOurAddressIsALoop() {
        LoopGuard guard = new LoopGuard(List.of("mx.petrel.test"), List.of(ip("127.0.0.99")));
        Routing routing = router(guard).route(Domain.parse("self.petrel-test"));
        assertEquals(new EnhancedStatus(5, 4, 6), assertInstanceOf(Routing.Failed.class, routing).reply().status());
    }

    // a server that never answers

    @Test
    void aNameserverThatNeverAnswersDefersWithinTheTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DnsjavaResolver deaf = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of("127.0.0.1:" + silent.getLocalPort()))
                    .withTimeout(Duration.ofMillis(500)).withRetries(0), Clock.systemUTC());
            long start = System.nanoTime();
            Routing routing = new MxRouter(deaf, new SplittableRandom(1), LoopGuard.none()).route(Domain.parse("multi.petrel-test"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(new EnhancedStatus(4, 4, 3), assertInstanceOf(Routing.Deferred.class, routing).reply().status());
            assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, took::toString);
        }
    }
}
