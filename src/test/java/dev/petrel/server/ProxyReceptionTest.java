package dev.petrel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.MailEvent;
import dev.petrel.policy.Network;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PROXY protocol listener's reception over loopback sockets: which client it names, and when it drops the
 * connection (untrusted peer, no header in time, a header dripped past the timeout) with an event saying why.
 */
class ProxyReceptionTest {

    private static final Duration TIMEOUT = Duration.ofMillis(600);

    private final List<MailEvent> events = new CopyOnWriteArrayList<>();
    private dev.petrel.net.Deadlines deadlines;
    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        deadlines = new dev.petrel.net.Deadlines(Duration.ofMillis(20));
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
        deadlines.close();
    }

    private ProxyReception reception(String trusted) {
        return new ProxyReception(new ProxyProtocol(true, List.of(Network.parse(trusted)), TIMEOUT), deadlines,
                events::add, Clock.systemUTC());
    }

    /** Connects from 127.0.0.1, lets {@code client} write, and returns what the reception made of the connection. */
    private Optional<InetAddress> receive(ProxyReception reception, ClientSide client) throws Exception {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
            try (Socket accepted = listener.accept()) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        client.write(c.getOutputStream());
                    } catch (IOException | InterruptedException ignored) {
                        // dropped by the server meanwhile
                    }
                });
                Optional<InetAddress> result = reception.client(accepted);
                writer.interrupt();
                writer.join();
                return result;
            }
        }
    }

    private interface ClientSide {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private static ClientSide sends(String text) {
        return out -> out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private MailEvent.Rejected onlyRejection() {
        assertEquals(1, events.size(), events.toString());
        MailEvent.Rejected r = (MailEvent.Rejected) events.getFirst();
        assertEquals("127.0.0.1", r.client());
        assertEquals(ProxyReception.STAGE, r.stage());
        return r;
    }

    @Test
    void theHeadersSourceIsTheClient() throws Exception {
        Optional<InetAddress> client = receive(reception("127.0.0.0/8"),
                sends("PROXY TCP6 2001:db8::9 2001:db8::1 4000 25\r\n"));
        assertEquals(Optional.of(InetAddress.getByName("2001:db8::9")), client);
        assertEquals(List.of(), events);
    }

    @Test
    void theProxysOwnHealthCheckIsTheProxysConnection() throws Exception {
        // v2 LOCAL with no addresses
        String local = new String(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "20000000"),
                StandardCharsets.ISO_8859_1);
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), receive(reception("127.0.0.1"), sends(local)));
    }

    @Test
    void aPeerOutsideTheTrustedProxiesIsDroppedUnread() throws Exception {
        assertEquals(Optional.empty(), receive(reception("192.0.2.0/24"),
                sends("PROXY TCP4 198.51.100.9 192.0.2.1 4000 25\r\n")));
        assertEquals("dropped: not a trusted proxy", onlyRejection().reply());
    }

    @Test
    void aSilentConnectionIsDroppedAtTheTimeout() throws Exception {
        long started = System.nanoTime();
        assertEquals(Optional.empty(), receive(reception("127.0.0.1"), out -> Thread.sleep(10_000)));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(waited.compareTo(TIMEOUT) >= 0 && waited.compareTo(Duration.ofSeconds(5)) < 0, waited.toString());
        assertEquals("dropped: no PROXY protocol header within 600ms", onlyRejection().reply());
    }

    @Test
    void aHeaderDrippedOctetByOctetCannotOutlastTheTimeout() throws Exception {
        // each octet well within the timeout, the whole header not: the deadline is for the header, not per read
        long started = System.nanoTime();
        assertEquals(Optional.empty(), receive(reception("127.0.0.1"), out -> {
            for (byte b : "PROXY TCP4 192.0.2.9 192.0.2.1 4000 25\r\n".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(100);
            }
        }));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(3)) < 0);
        assertEquals("dropped: no PROXY protocol header within 600ms", onlyRejection().reply());
    }

    @Test
    void aMalformedHeaderIsDroppedWithItsReason() throws Exception {
        assertEquals(Optional.empty(), receive(reception("127.0.0.1"), sends("PROXY TCP4 192.0.2.09 192.0.2.1 1 2\r\n")));
        assertEquals("dropped: PROXY v1 address not IPv4: 192.0.2.09", onlyRejection().reply());
    }

    @Test
    void aConnectionClosedInsideTheHeaderIsDropped() throws Exception {
        assertEquals(Optional.empty(), receive(reception("127.0.0.1"), out -> {
            out.write("PROXY TCP4 192.0.2.9".getBytes(StandardCharsets.US_ASCII));
            out.close();
        }));
        assertEquals("dropped: connection closed inside the PROXY protocol header", onlyRejection().reply());
    }
}
