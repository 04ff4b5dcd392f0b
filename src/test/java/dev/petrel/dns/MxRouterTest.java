package dev.petrel.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class MxRouterTest {

    private final FakeResolver dns = new FakeResolver();

    private MxRouter router(LoopGuard guard) {
        return new MxRouter(dns, new SplittableRandom(42), guard);
    }

    private Route routed(String domain) {
        return routed(router(LoopGuard.none()).route(Domain.parse(domain)));
    }

    private static Route routed(Routing routing) {
        return assertInstanceOf(Routing.Routed.class, routing, routing::toString).route();
    }

    private static List<String> names(Route route) {
        return route.hosts().stream().map(Route.Host::name).toList();
    }

    private static EnhancedStatus failedWith(Routing routing) {
        return assertInstanceOf(Routing.Failed.class, routing, routing::toString).reply().status();
    }

    private static EnhancedStatus deferredWith(Routing routing) {
        return assertInstanceOf(Routing.Deferred.class, routing, routing::toString).reply().status();
    }

    // RFC 5321 5.1: MX hosts are tried in order of preference, lowest first

    @Test
    void mxHostsAreSortedByPreference() {
        dns.mx("example.test", "30 c.example.test", "10 a.example.test", "20 b.example.test")
                .host("a.example.test", "192.0.2.1").host("b.example.test", "192.0.2.2").host("c.example.test", "192.0.2.3");
        Route route = routed("example.test");
        assertEquals(List.of("a.example.test", "b.example.test", "c.example.test"), names(route));
        assertEquals(List.of(10, 20, 30), route.hosts().stream().map(Route.Host::preference).toList());
        assertEquals(new Domain("example.test"), route.destination());
    }

    @Test
    void eachHostCarriesItsIpv4AndIpv6Addresses() {
        dns.mx("example.test", "10 a.example.test").host("a.example.test", "192.0.2.1", "2001:db8::1", "192.0.2.9");
        Route.Host host = routed("example.test").hosts().getFirst();
        assertEquals(List.of(FakeResolver.literal("192.0.2.1"), FakeResolver.literal("192.0.2.9"),
                FakeResolver.literal("2001:db8::1")), host.addresses());
    }

    @Test
    void aHostListedTwiceIsTriedOnceAtItsBestPreference() {
        dns.mx("example.test", "20 a.example.test", "10 b.example.test", "5 A.example.test.")
                .host("a.example.test", "192.0.2.1").host("b.example.test", "192.0.2.2");
        Route route = routed("example.test");
        assertEquals(List.of("a.example.test", "b.example.test"), names(route));
        assertEquals(5, route.hosts().getFirst().preference());
    }

    @Test
    void equalPreferencesComeInEveryOrderOverManyRuns() {
        // RFC 5321 5.1: "the sender-SMTP MUST randomize them to spread the load"
        dns.mx("example.test", "10 a.example.test", "10 b.example.test", "10 c.example.test", "5 first.example.test",
                "99 last.example.test");
        for (String h : List.of("a", "b", "c", "first", "last")) {
            dns.host(h + ".example.test", "192.0.2.1");
        }
        RandomGenerator random = new SplittableRandom(7);
        MxRouter router = new MxRouter(dns, random, LoopGuard.none());
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<String> order = names(routed(router.route(Domain.parse("example.test"))));
            assertEquals("first.example.test", order.getFirst());
            assertEquals("last.example.test", order.getLast());
            orders.add(order.subList(1, 4));
        }
        assertEquals(6, orders.size(), orders::toString);
    }

    @Test
    void theSameSeedGivesTheSameOrder() {
        dns.mx("example.test", "10 a.example.test", "10 b.example.test", "10 c.example.test", "10 d.example.test");
        for (String h : List.of("a", "b", "c", "d")) {
            dns.host(h + ".example.test", "192.0.2.1");
        }
        List<String> first = names(routed(new MxRouter(dns, new SplittableRandom(3), LoopGuard.none())
                .route(Domain.parse("example.test"))));
        List<String> second = names(routed(new MxRouter(dns, new SplittableRandom(3), LoopGuard.none())
                .route(Domain.parse("example.test"))));
        assertEquals(first, second);
    }

    // RFC 5321 5.1: without MX records the domain itself is the one host, with preference 0

    @Test
    void aDomainWithoutMxIsItsOwnImplicitMx() {
        dns.host("plain.test", "192.0.2.7", "2001:db8::7");
        Route route = routed("plain.test");
        assertEquals(List.of("plain.test"), names(route));
        assertEquals(0, route.hosts().getFirst().preference());
        assertEquals(2, route.hosts().getFirst().addresses().size());
        assertEquals(new Site("plain.test"), route.site());
    }

    @Test
    void anImplicitMxWithoutAddressesCannotBeRouted() {
        dns.mx("bare.test", new Lookup.NoRecords<>()).addresses("bare.test", new Lookup.NoRecords<>(), new Lookup.NoRecords<>());
        assertEquals(new EnhancedStatus(4, 4, 4), deferredWith(router(LoopGuard.none()).route(Domain.parse("bare.test"))));
    }

    // RFC 7505: a null MX says the domain accepts no mail; bounce at once with 5.1.10

    @Test
    void aNullMxFailsPermanentlyWith5110() {
        dns.mx("nullmx.test", "0 .");
        Routing routing = router(LoopGuard.none()).route(Domain.parse("nullmx.test"));
        assertEquals(new EnhancedStatus(5, 1, 10), failedWith(routing));
        assertEquals(556, ((Routing.Failed) routing).reply().code());
        assertEquals(0, dns.addressQueries(), "no address look-up for a null MX");
    }

    @Test
    void aNullMxAmongOtherMxRecordsIsSkipped() {
        dns.mx("mixed.test", "0 .", "10 mx.mixed.test").host("mx.mixed.test", "192.0.2.3");
        assertEquals(List.of("mx.mixed.test"), names(routed("mixed.test")));
    }

    // DNS failures: NXDOMAIN is permanent, SERVFAIL and timeouts are temporary

    @Test
    void aDomainThatDoesNotExistFailsPermanentlyWith512() {
        assertEquals(new EnhancedStatus(5, 1, 2), failedWith(router(LoopGuard.none()).route(Domain.parse("gone.test"))));
    }

    @Test
    void aTemporaryDnsFailureDefersWith443() {
        dns.mx("flaky.test", new Lookup.TemporaryFailure<>("SERVFAIL"));
        Routing routing = router(LoopGuard.none()).route(Domain.parse("flaky.test"));
        assertEquals(new EnhancedStatus(4, 4, 3), deferredWith(routing));
        assertTrue(((Routing.Deferred) routing).reply().summary().contains("SERVFAIL"));
    }

    // RFC 5321 5.1: an MX host without addresses is skipped; none usable is an error

    @Test
    void anMxHostWithoutAddressesIsSkipped() {
        dns.mx("example.test", "10 dead.example.test", "20 live.example.test").host("live.example.test", "192.0.2.5");
        Route route = routed("example.test");
        assertEquals(List.of("live.example.test"), names(route));
        assertEquals(new Site("dead.example.test,live.example.test"), route.site(), "the site keeps every MX name");
    }

    @Test
    void noMxHostWithAnAddressDefersWith444() {
        dns.mx("example.test", "10 dead.example.test", "20 gone.example.test")
                .addresses("dead.example.test", new Lookup.NoRecords<>(), new Lookup.NoRecords<>());
        assertEquals(new EnhancedStatus(4, 4, 4), deferredWith(router(LoopGuard.none()).route(Domain.parse("example.test"))));
    }

    @Test
    void aTemporaryFailureOfEveryAddressLookupDefersWith443() {
        dns.mx("example.test", "10 a.example.test")
                .addresses("a.example.test", new Lookup.TemporaryFailure<>("timeout"), new Lookup.TemporaryFailure<>("timeout"));
        assertEquals(new EnhancedStatus(4, 4, 3), deferredWith(router(LoopGuard.none()).route(Domain.parse("example.test"))));
    }

    @Test
    void oneAddressFamilyFailingStillRoutesByTheOther() {
        dns.mx("example.test", "10 a.example.test").addresses("a.example.test",
                new Lookup.Found<>(List.of((java.net.Inet4Address) FakeResolver.literal("192.0.2.1")), FakeResolver.TTL),
                new Lookup.TemporaryFailure<>("timeout"));
        assertEquals(List.of(FakeResolver.literal("192.0.2.1")), routed("example.test").hosts().getFirst().addresses());
    }

    // RFC 5321 4.1.3: address literals route to the address, without DNS

    @Test
    void anIpv4LiteralRoutesToItsAddressWithoutDns() {
        Route route = routed("[192.0.2.44]");
        assertEquals(List.of(FakeResolver.literal("192.0.2.44")), route.hosts().getFirst().addresses());
        assertEquals(new Site("[192.0.2.44]"), route.site());
        assertEquals(0, dns.queries());
    }

    @Test
    void anIpv6LiteralRoutesToItsAddressWithoutDns() {
        Route route = routed("[IPv6:2001:db8::44]");
        assertEquals(List.of(FakeResolver.literal("2001:db8::44")), route.hosts().getFirst().addresses());
        assertEquals(0, dns.queries());
    }

    // RFC 5321 5.1: never deliver to ourselves

    @Test
    void anMxPointingAtOurOwnHostnameIsARoutingLoop() {
        dns.mx("example.test", "10 MX.Petrel.test.").host("mx.petrel.test", "192.0.2.10");
        LoopGuard guard = new LoopGuard(List.of("mx.petrel.test"), List.of());
        assertEquals(new EnhancedStatus(5, 4, 6), failedWith(router(guard).route(Domain.parse("example.test"))));
    }

    @Test
    void anMxPointingAtOurOwnAddressIsARoutingLoop() {
        dns.mx("example.test", "10 alias.example.test").host("alias.example.test", "192.0.2.99", "192.0.2.10");
        LoopGuard guard = new LoopGuard(List.of("mx.petrel.test"), List.of(FakeResolver.literal("192.0.2.10")));
        assertEquals(new EnhancedStatus(5, 4, 6), failedWith(router(guard).route(Domain.parse("example.test"))));
    }

    @Test
    void asABackupMxWeDeliverOnlyToMorePreferredHosts() {
        // RFC 5321 5.1: discard MX records with a preference equal to or greater than our own
        dns.mx("example.test", "10 primary.example.test", "20 mx.petrel.test", "20 peer.example.test", "30 tail.example.test")
                .host("primary.example.test", "192.0.2.1").host("mx.petrel.test", "192.0.2.10")
                .host("peer.example.test", "192.0.2.2").host("tail.example.test", "192.0.2.3");
        LoopGuard guard = new LoopGuard(List.of("mx.petrel.test"), List.of());
        assertEquals(List.of("primary.example.test"), names(routed(router(guard).route(Domain.parse("example.test")))));
    }

    @Test
    void anAddressLiteralOfOurOwnIsARoutingLoop() {
        LoopGuard guard = new LoopGuard(List.of(), List.of(FakeResolver.literal("192.0.2.10")));
        assertEquals(new EnhancedStatus(5, 4, 6), failedWith(router(guard).route(Domain.parse("[192.0.2.10]"))));
    }

    @Test
    void anotherHostIsNotUs() {
        LoopGuard guard = new LoopGuard(List.of("mx.petrel.test"), List.of(FakeResolver.literal("192.0.2.10")));
        Route.Host other = new Route.Host("mx.other.test", 10, List.of(FakeResolver.literal("192.0.2.11")));
        assertTrue(!guard.isSelf(other));
        assertTrue(guard.isSelf(new Route.Host("mx.petrel.test.", 10, List.of())));
    }

    // the site: domains served by the same MX hosts share one

    @Test
    void domainsWithTheSameMxHostsShareOneSite() {
        dns.mx("one.test", "10 mx1.provider.test", "20 mx2.provider.test")
                .mx("two.test", "5 MX2.provider.test.", "5 mx1.provider.test")
                .mx("three.test", "10 mx1.provider.test")
                .host("mx1.provider.test", "192.0.2.1").host("mx2.provider.test", "192.0.2.2");
        Site one = routed("one.test").site();
        assertEquals(new Site("mx1.provider.test,mx2.provider.test"), one);
        assertEquals(one, routed("two.test").site());
        assertTrue(!one.equals(routed("three.test").site()));
    }

    @Test
    void theSiteKeyIgnoresOrderCaseAndTrailingDots() {
        assertEquals(Site.of(List.of("b.test", "a.test")), Site.of(List.of("A.TEST.", "b.test", "a.test")));
    }

    @Test
    void aRouteLooksUpEachHostOnce() {
        dns.mx("example.test", "10 a.example.test").host("a.example.test", "192.0.2.1");
        routed("example.test");
        assertEquals(3, dns.queries(), "MX, then A and AAAA");
    }
}
