package dev.petrel.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** DnsjavaResolver against scripted servers on loopback: failures, retries, CNAME chasing and the cache. */
class DnsjavaResolverTest {

    private final MutableClock clock = new MutableClock();

    private DnsjavaResolver resolver(Duration timeout, int retries, String... servers) {
        return new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(servers)).withTimeout(timeout).withRetries(retries), clock);
    }

    private static Name name(String text) {
        return Name.fromConstantString(text);
    }

    private static Message reply(Message query, int rcode, Record... answers) {
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.RA);
        answer.getHeader().setRcode(rcode);
        answer.addRecord(query.getQuestion(), Section.QUESTION);
        for (Record r : answers) {
            answer.addRecord(r, Section.ANSWER);
        }
        return answer;
    }

    private static Record a(String owner, String address, long ttl) {
        return new ARecord(name(owner), DClass.IN, ttl, FakeResolver.literal(address));
    }

    private static ScriptedDnsServer server(Function<Message, Message> script) throws Exception {
        return new ScriptedDnsServer(script);
    }

    // RFC 1035 4.1.1 RCODE: a server failure is temporary, and the next server is asked

    @Test
    void servfailIsATemporaryFailure() throws Exception {
        try (ScriptedDnsServer dns = server(q -> reply(q, Rcode.SERVFAIL))) {
            Lookup<InetAddress> lookup = resolver(Duration.ofSeconds(2), 0, dns.address()).lookupAddresses("x.test");
            String reason = assertInstanceOf(Lookup.TemporaryFailure.class, lookup).reason();
            assertTrue(reason.contains("SERVFAIL"), reason);
        }
    }

    @Test
    void aRefusingServerIsPassedOverForTheNext() throws Exception {
        try (ScriptedDnsServer refusing = server(q -> reply(q, Rcode.REFUSED));
                ScriptedDnsServer good = server(q -> reply(q, Rcode.NOERROR, a("x.test.", "192.0.2.1", 60)))) {
            Lookup<?> lookup = resolver(Duration.ofSeconds(2), 0, refusing.address(), good.address()).lookupA("x.test");
            assertEquals(List.of(FakeResolver.literal("192.0.2.1")), lookup.records());
            assertEquals(1, refusing.queries());
        }
    }

    @Test
    void aSilentServerIsATemporaryFailureWithinTimeoutTimesAttempts() throws Exception {
        try (ScriptedDnsServer silent = server(q -> null)) {
            long start = System.nanoTime();
            Lookup<?> lookup = resolver(Duration.ofMillis(300), 1, silent.address()).lookupMx("x.test");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertInstanceOf(Lookup.TemporaryFailure.class, lookup);
            assertEquals(2, silent.queries(), "one retry");
            assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, took::toString);
        }
    }

    // RFC 1034 3.6.2: CNAMEs are followed, also when the server gives only the first link

    @Test
    void aCnameWhoseTargetIsNotInTheAnswerIsAskedForAgain() throws Exception {
        try (ScriptedDnsServer dns = server(q -> q.getQuestion().getName().equals(name("alias.test."))
                ? reply(q, Rcode.NOERROR, new CNAMERecord(name("alias.test."), DClass.IN, 30, name("real.test.")))
                : reply(q, Rcode.NOERROR, a("real.test.", "192.0.2.2", 600)))) {
            Lookup<?> lookup = resolver(Duration.ofSeconds(2), 0, dns.address()).lookupA("alias.test");
            Lookup.Found<?> found = assertInstanceOf(Lookup.Found.class, lookup);
            assertEquals(List.of(FakeResolver.literal("192.0.2.2")), found.records());
            assertEquals(Duration.ofSeconds(30), found.ttl(), "the least TTL of the chain");
            assertEquals(2, dns.queries());
        }
    }

    @Test
    void aCnameLoopIsATemporaryFailure() throws Exception {
        try (ScriptedDnsServer dns = server(q -> reply(q, Rcode.NOERROR,
                new CNAMERecord(q.getQuestion().getName(), DClass.IN, 30,
                        q.getQuestion().getName().equals(name("a.test.")) ? name("b.test.") : name("a.test."))))) {
            assertInstanceOf(Lookup.TemporaryFailure.class, resolver(Duration.ofSeconds(2), 0, dns.address()).lookupA("a.test"));
        }
    }

    @Test
    void txtStringsOfOneRecordAreJoined() throws Exception {
        try (ScriptedDnsServer dns = server(q -> reply(q, Rcode.NOERROR,
                new TXTRecord(name("t.test."), DClass.IN, 60, List.of("v=DKIM1; k=rsa; ", "p=ABC"))))) {
            assertEquals(List.of("v=DKIM1; k=rsa; p=ABC"), resolver(Duration.ofSeconds(2), 0, dns.address()).lookupTxt("t.test").records());
        }
    }

    // RFC 1035 3.2.1, RFC 2308 5: answers are kept for their TTL, negative ones for the SOA's

    @Test
    void anAnswerIsCachedForItsTtl() throws Exception {
        try (ScriptedDnsServer dns = server(q -> reply(q, Rcode.NOERROR, a("x.test.", "192.0.2.1", 60)))) {
            DnsjavaResolver resolver = resolver(Duration.ofSeconds(2), 0, dns.address());
            resolver.lookupA("x.test");
            clock.advance(Duration.ofSeconds(45));
            Lookup.Found<?> cached = assertInstanceOf(Lookup.Found.class, resolver.lookupA("X.TEST."));
            assertEquals(1, dns.queries());
            assertEquals(Duration.ofSeconds(15), cached.ttl(), "the TTL that remains");
            clock.advance(Duration.ofSeconds(15));
            resolver.lookupA("x.test");
            assertEquals(2, dns.queries());
        }
    }

    @Test
    void aNegativeAnswerIsCachedForTheSoaMinimum() throws Exception {
        try (ScriptedDnsServer dns = server(q -> {
            Message m = reply(q, Rcode.NXDOMAIN);
            m.addRecord(new SOARecord(name("test."), DClass.IN, 3600, name("ns.test."), name("admin.test."), 1, 3600, 600,
                    86400, 30), Section.AUTHORITY);
            return m;
        })) {
            DnsjavaResolver resolver = resolver(Duration.ofSeconds(2), 0, dns.address());
            assertInstanceOf(Lookup.NoSuchDomain.class, resolver.lookupMx("gone.test"));
            clock.advance(Duration.ofSeconds(29));
            assertInstanceOf(Lookup.NoSuchDomain.class, resolver.lookupMx("gone.test"));
            assertEquals(1, dns.queries());
            clock.advance(Duration.ofSeconds(1));
            resolver.lookupMx("gone.test");
            assertEquals(2, dns.queries());
        }
    }

    @Test
    void aTemporaryFailureIsNotCached() throws Exception {
        try (ScriptedDnsServer dns = server(q -> reply(q, Rcode.SERVFAIL))) {
            DnsjavaResolver resolver = resolver(Duration.ofSeconds(2), 0, dns.address());
            resolver.lookupMx("x.test");
            resolver.lookupMx("x.test");
            assertEquals(2, dns.queries());
        }
    }

    // the configuration's spelling of nameservers

    @Test
    void nameserversParseWithAndWithoutPort() {
        assertEquals(new InetSocketAddress(FakeResolver.literal("192.0.2.1"), 53), DnsjavaResolver.parseNameserver("192.0.2.1"));
        assertEquals(new InetSocketAddress(FakeResolver.literal("127.0.0.1"), 5353), DnsjavaResolver.parseNameserver("127.0.0.1:5353"));
        assertEquals(new InetSocketAddress(FakeResolver.literal("::1"), 5353), DnsjavaResolver.parseNameserver("[::1]:5353"));
        assertEquals(new InetSocketAddress(FakeResolver.literal("2001:db8::1"), 53), DnsjavaResolver.parseNameserver("2001:db8::1"));
    }

    @Test
    void aNameserverMustBeAnIpAddress() {
        assertThrows(IllegalArgumentException.class, () -> DnsjavaResolver.parseNameserver("dns.example.test:53"));
        assertThrows(IllegalArgumentException.class, () -> DnsjavaResolver.parseNameserver("127.0.0.1:99999"));
        assertThrows(IllegalArgumentException.class, () -> DnsjavaResolver.Settings.of(List.of()));
    }

    // RFC 6840 5.7: the AD bit is asked for, and believed only of a resolver configured as validating
    @Test
    void theAdBitIsAskedForAndBelievedOnlyWithDnssec() throws Exception {
        List<Boolean> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ScriptedDnsServer dns = server(q -> {
            asked.add(q.getHeader().getFlag(Flags.AD));
            Message answer = reply(q, Rcode.NOERROR, a("signed.test.", "192.0.2.3", 60));
            answer.getHeader().setFlag(Flags.AD);
            return answer;
        })) {
            DnsjavaResolver.Settings settings = DnsjavaResolver.Settings.of(List.of(dns.address())).withCacheSize(0);
            assertTrue(new DnsjavaResolver(settings.withDnssec(true), clock).lookupA("signed.test").secure());
            assertFalse(new DnsjavaResolver(settings, clock).lookupA("signed.test").secure());
            assertEquals(List.of(true, false), asked);
        }
    }

    // RFC 7672 2.1.1: an answer reached through CNAMEs is secure only when every link is
    @Test
    void aCnameChainWithAnInsecureLinkIsNotSecure() throws Exception {
        try (ScriptedDnsServer dns = server(q -> {
            if (q.getQuestion().getName().equals(name("alias.test."))) {
                Message signed = reply(q, Rcode.NOERROR,
                        new CNAMERecord(name("alias.test."), DClass.IN, 30, name("real.test.")));
                signed.getHeader().setFlag(Flags.AD);
                return signed;
            }
            return reply(q, Rcode.NOERROR, a("real.test.", "192.0.2.2", 600));
        })) {
            DnsjavaResolver resolver = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address()))
                    .withDnssec(true), clock);
            Lookup<?> lookup = resolver.lookupA("alias.test");
            assertInstanceOf(Lookup.Found.class, lookup);
            assertFalse(lookup.secure());
        }
    }
}
