package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.Route;
import dev.petrel.dns.Site;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.smtp.client.TlsPolicy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote delivery seen from the other end (STYLE.md, tests layer 3): scripted MX peers on 127.0.0.x, each failing
 * the way a real server does, and the outcome each recipient gets.
 */
class RemoteDeliveryTest {

    static final String MX1 = "127.0.0.2";
    static final String MX2 = "127.0.0.3";
    static final String DOWN = "127.0.0.9";
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    static final byte[] CONTENT = ("From: <sender@source.test>\r\nTo: <a@dest.test>\r\nSubject: exact\r\n\r\n"
            + ".a line with a leading dot\r\n..two dots\r\n.\r\nnot the end\r\n\u00e9t\u00e9 in UTF-8\r\n"
            + "trailing spaces   \r\n\r\nlast line\r\n").getBytes(StandardCharsets.UTF_8);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stopPeers() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    static Transaction transaction(byte[] content, String... recipients) {
        List<Recipient> rcpts = Arrays.stream(recipients).map(r -> Recipient.of(Address.of(r))).toList();
        Envelope envelope = new Envelope(ReversePath.of(Address.of("sender@source.test")), rcpts,
                Envelope.BodyType.EIGHT_BIT_MIME, false, Envelope.Ret.NONE, null, null, "127.0.0.1", "client.test");
        return Transaction.of(envelope, content);
    }

    static Route.Host host(String name, int preference, String ip) throws Exception {
        return new Route.Host(name, preference, List.of(InetAddress.getByName(ip)));
    }

    static Route route(Route.Host... hosts) {
        List<Route.Host> list = List.of(hosts);
        return new Route(Domain.parse("dest.test"), Site.of(list.stream().map(Route.Host::name).toList()), list);
    }

    static RemoteDelivery delivery(int port, Duration timeout) {
        return new RemoteDelivery(RemoteSettings.of("petrel.source.test").withPort(port)
                .withTimeouts(Timeouts.uniform(timeout)));
    }

    static List<Attempted> send(int port, Duration timeout, Route route, Transaction transaction) {
        return delivery(port, timeout).attempt(route, transaction, TlsPolicy.OPPORTUNISTIC);
    }

    /** Peers on one port: one per address, each with its script. */
    List<ScriptedPeer> peers(List<String> addresses, List<Mx> scripts) throws Exception {
        List<ScriptedPeer> peers = ScriptedPeer.startAll(addresses, List.copyOf(scripts));
        for (int i = 0; i < peers.size(); i++) {
            scripts.get(i).bind(peers.get(i));
        }
        toClose.addAll(peers);
        return peers;
    }

    ScriptedPeer peer(Mx mx) throws Exception {
        return peers(List.of(MX1), List.of(mx)).getFirst();
    }

    static Route oneMx() throws Exception {
        return route(host("mx1.dest.test", 10, MX1));
    }

    static void assertStatus(EnhancedStatus expected, Attempted attempted) {
        assertEquals(expected, attempted.outcome().reply().status(), attempted.outcome().reply().toString());
    }

    // ---------------------------------------------------------------- the happy path

    @Test
    void contentArrivesByteExactAndEachRecipientIsDelivered() throws Exception {
        Mx mx = new Mx();
        ScriptedPeer peer = peer(mx);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test", "b@dest.test"));
        assertEquals(2, out.size());
        for (Attempted a : out) {
            assertInstanceOf(RecipientOutcome.Delivered.class, a.outcome());
            assertEquals("mx1.dest.test[127.0.0.2]:" + peer.port(), a.relay());
        }
        assertEquals(1, peer.received.size());
        ScriptedPeer.Received got = peer.received.getFirst();
        assertArrayEquals(CONTENT, got.content(), () -> new String(got.content(), StandardCharsets.UTF_8));
        assertEquals("sender@source.test", got.mailFrom());
        assertEquals(List.of("a@dest.test", "b@dest.test"), got.rcptTo());
        assertTrue(peer.transcript.contains("C: EHLO petrel.source.test"), peer.transcript::toString);
        assertTrue(peer.transcript.contains("C: QUIT"), peer.transcript::toString);
    }

    @Test
    void asATransportItReportsTheRelayOfEachRecipient() throws Exception {
        ScriptedPeer peer = peer(new Mx());
        dev.petrel.delivery.Transport transport = delivery(peer.port(), TIMEOUT);
        List<dev.petrel.delivery.Transport.Delivery> out = transport.deliver(oneMx(), transaction(CONTENT, "a@dest.test"));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome());
        assertEquals("mx1.dest.test[127.0.0.2]:" + peer.port(), out.getFirst().relay());
    }

    @Test
    void oneConnectionCarriesTwoTransactions() throws Exception {
        Mx mx = new Mx();
        ScriptedPeer peer = peer(mx);
        RemoteDelivery delivery = delivery(peer.port(), TIMEOUT);
        try (SiteConnection site = delivery.open(oneMx(), TlsPolicy.OPPORTUNISTIC)) {
            List<Attempted> first = site.send(transaction(CONTENT, "a@dest.test"));
            assertTrue(site.isOpen());
            List<Attempted> second = site.send(transaction("Subject: two\r\n\r\nsecond\r\n".getBytes(StandardCharsets.US_ASCII),
                    "b@dest.test"));
            assertInstanceOf(RecipientOutcome.Delivered.class, first.getFirst().outcome());
            assertInstanceOf(RecipientOutcome.Delivered.class, second.getFirst().outcome());
            assertEquals(1, site.connections());
        }
        assertEquals(1, peer.connections());
        assertEquals(2, peer.received.size());
        assertEquals(List.of("b@dest.test"), peer.received.get(1).rcptTo());
        assertEquals(1, peer.received.get(1).connection());
    }

    @Test
    void aConnectionTheServerDroppedWhileIdleIsReplacedWithoutDeferring() throws Exception {
        Mx mx = new Mx();
        mx.hangUpAfterMessage = true;
        ScriptedPeer peer = peer(mx);
        RemoteDelivery delivery = delivery(peer.port(), TIMEOUT);
        try (SiteConnection site = delivery.open(oneMx(), TlsPolicy.OPPORTUNISTIC)) {
            site.send(transaction(CONTENT, "a@dest.test"));
            List<Attempted> out = site.send(transaction(CONTENT, "b@dest.test"));
            assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome(), out::toString);
            assertEquals(2, site.connections());
        }
        assertEquals(2, peer.received.size());
        assertEquals(2, peer.received.get(1).connection());
    }

    // ---------------------------------------------------------------- failures per recipient

    @Test
    void fiveFiftyForOneOfThreeRecipientsFailsOnlyThatOne() throws Exception {
        Mx mx = new Mx();
        mx.rcpt = a -> a.startsWith("unknown") ? "550 5.1.1 No such user" : "250 2.1.5 Ok";
        ScriptedPeer peer = peer(mx);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test", "unknown@dest.test", "c@dest.test"));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.get(0).outcome());
        RecipientOutcome.Failed failed = assertInstanceOf(RecipientOutcome.Failed.class, out.get(1).outcome());
        assertEquals(550, failed.reply().code());
        assertEquals(EnhancedStatus.BAD_DESTINATION_MAILBOX, failed.reply().status());
        assertEquals("unknown@dest.test", failed.recipient().address().toString());
        assertInstanceOf(RecipientOutcome.Delivered.class, out.get(2).outcome());
        assertEquals(List.of("a@dest.test", "c@dest.test"), peer.received.getFirst().rcptTo());
    }

    @Test
    void fourFiftyOneAfterRcptDefersAndSendsNoData() throws Exception {
        Mx mx = new Mx();
        mx.extensions.remove("PIPELINING");
        mx.rcpt = a -> "451 4.3.0 Try again later";
        ScriptedPeer peer = peer(mx);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test"));
        RecipientOutcome.Deferred deferred = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals(451, deferred.reply().code());
        assertFalse(peer.transcript.contains("C: DATA"), peer.transcript::toString);
        assertTrue(peer.received.isEmpty());
    }

    @Test
    void aMessageLargerThanTheServersSizeFailsWith534BeforeMail() throws Exception {
        Mx mx = new Mx();
        mx.extensions.add("SIZE 100");
        ScriptedPeer peer = peer(mx);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test"));
        RecipientOutcome.Failed failed = assertInstanceOf(RecipientOutcome.Failed.class, out.getFirst().outcome());
        assertEquals(EnhancedStatus.MESSAGE_TOO_BIG, failed.reply().status());
        assertTrue(peer.transcript.stream().noneMatch(l -> l.startsWith("C: MAIL")), peer.transcript::toString);
    }

    @Test
    void aConnectionDroppedInDataDefers() throws Exception {
        Mx mx = new Mx();
        mx.dropInData = true;
        ScriptedPeer peer = peer(mx);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test", "b@dest.test"));
        for (Attempted a : out) {
            assertInstanceOf(RecipientOutcome.Deferred.class, a.outcome());
            assertStatus(EnhancedStatus.BAD_CONNECTION, a);
        }
    }

    @Test
    void aServerSlowerThanTheTimeoutDefersWith442() throws Exception {
        Mx mx = new Mx();
        mx.delayMail = Duration.ofSeconds(3);
        ScriptedPeer peer = peer(mx);
        long start = System.nanoTime();
        List<Attempted> out = send(peer.port(), Duration.ofMillis(500), oneMx(), transaction(CONTENT, "a@dest.test"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertStatus(EnhancedStatus.BAD_CONNECTION, out.getFirst());
        assertTrue(out.getFirst().outcome().reply().lines().getFirst().contains("Timeout"), out::toString);
        assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "took " + took);
    }

    @Test
    void aServerThatStopsReadingTheMessageDefersWithATimeout() throws Exception {
        Mx mx = new Mx();
        mx.stallInData = Duration.ofSeconds(8);
        ScriptedPeer peer = peer(mx);
        // far more than the socket buffers on both sides hold: the client's write must block
        byte[] big = ("Subject: big\r\n\r\n" + ("x".repeat(998) + "\r\n").repeat(24_000))
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        List<Attempted> out = send(peer.port(), Duration.ofMillis(500), oneMx(), transaction(big, "a@dest.test"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertStatus(EnhancedStatus.BAD_CONNECTION, out.getFirst());
        assertTrue(out.getFirst().outcome().reply().lines().getFirst().contains("Timeout"), out::toString);
        assertTrue(took.compareTo(Duration.ofMillis(5000)) < 0, "gave up after the write's 500 ms, took " + took);
    }

    // ---------------------------------------------------------------- one host after another

    @Test
    void fourTwentyOneAtGreetingMovesOnToTheNextMx() throws Exception {
        Mx busy = new Mx();
        busy.greeting = "421 4.3.2 mx1 busy, try later";
        Mx good = new Mx();
        List<ScriptedPeer> peers = peers(List.of(MX1, MX2), List.of(busy, good));
        Route route = route(host("mx1.dest.test", 10, MX1), host("mx2.dest.test", 20, MX2));
        List<Attempted> out = delivery(peers.getFirst().port(), TIMEOUT).attempt(route, transaction(CONTENT, "a@dest.test"), TlsPolicy.OPPORTUNISTIC);
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome());
        assertEquals("mx2.dest.test", out.getFirst().host());
        assertEquals(MX2, out.getFirst().ip());
        assertEquals(1, peers.get(0).connections());
        assertEquals(1, peers.get(1).received.size());
    }

    @Test
    void fourTwentyOneAtGreetingOfTheOnlyMxDefers() throws Exception {
        Mx busy = new Mx();
        busy.greeting = "421 4.3.2 busy, try later";
        ScriptedPeer peer = peer(busy);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test", "b@dest.test"));
        for (Attempted a : out) {
            RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, a.outcome());
            assertEquals(421, d.reply().code());
            assertEquals("mx1.dest.test", a.host());
        }
    }

    @Test
    void aFiveFiftyFourGreetingOfTheLastMxDefersRatherThanBounces() throws Exception {
        Mx refusing = new Mx();
        refusing.greeting = "554 5.7.1 no service for you";
        ScriptedPeer peer = peer(refusing);
        List<Attempted> out = send(peer.port(), TIMEOUT, oneMx(), transaction(CONTENT, "a@dest.test"));
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, out.getFirst().outcome());
        assertEquals(554, d.reply().code());
    }

    @Test
    void firstMxDownTheSecondGetsTheMail() throws Exception {
        Mx good = new Mx();
        ScriptedPeer peer = peers(List.of(MX2), List.of(good)).getFirst();
        Route route = route(host("mx1.dest.test", 10, DOWN), host("mx2.dest.test", 20, MX2));
        List<Attempted> out = send(peer.port(), TIMEOUT, route, transaction(CONTENT, "a@dest.test"));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome());
        assertEquals("mx2.dest.test[127.0.0.3]:" + peer.port(), out.getFirst().relay());
        assertArrayEquals(CONTENT, peer.received.getFirst().content());
    }

    @Test
    void everyAddressOfAHostIsTriedBeforeTheNextHost() throws Exception {
        Mx good = new Mx();
        ScriptedPeer peer = peers(List.of(MX2), List.of(good)).getFirst();
        Route.Host twoAddresses = new Route.Host("mx1.dest.test", 10,
                List.of(InetAddress.getByName(DOWN), InetAddress.getByName(MX2)));
        List<Attempted> out = send(peer.port(), TIMEOUT, route(twoAddresses), transaction(CONTENT, "a@dest.test"));
        assertInstanceOf(RecipientOutcome.Delivered.class, out.getFirst().outcome());
        assertEquals("mx1.dest.test[127.0.0.3]:" + peer.port(), out.getFirst().relay());
    }

    @Test
    void bothMxDownDefersWith441NamingTheLastHost() throws Exception {
        // a port where nothing listens on the two addresses: bind one, then free it
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName(DOWN))) {
            port = s.getLocalPort();
        }
        Route route = route(host("mx1.dest.test", 10, DOWN), host("mx2.dest.test", 20, "127.0.0.10"));
        List<Attempted> out = send(port, TIMEOUT, route, transaction(CONTENT, "a@dest.test", "b@dest.test"));
        assertEquals(2, out.size());
        for (Attempted a : out) {
            assertInstanceOf(RecipientOutcome.Deferred.class, a.outcome());
            assertStatus(SiteConnection.NO_ANSWER, a);
            assertEquals("mx2.dest.test", a.host());
            assertEquals("127.0.0.10", a.ip());
            assertFalse(a.answered());
            assertEquals("none", a.relay());
        }
    }
}
