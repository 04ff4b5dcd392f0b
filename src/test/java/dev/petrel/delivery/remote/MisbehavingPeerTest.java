package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.RecipientOutcome;
import dev.petrel.smtp.client.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote servers that break the protocol in the ways a hostile or broken one can (issue 18): each attempt ends
 * in a deferral with a reason that says what went wrong, within its timeout, and never holds a thread for long.
 */
class MisbehavingPeerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    // a phase's timeout and some slack for a loaded machine: nothing here may take much longer than its timeout
    private static final Duration BOUND = Duration.ofSeconds(6);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stopPeers() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private Attempted deliverTo(ScriptedPeer.Script script) throws Exception {
        return deliverTo(script, TlsPolicy.OPPORTUNISTIC);
    }

    private Attempted deliverTo(ScriptedPeer.Script script, TlsPolicy tls) throws Exception {
        ScriptedPeer peer = ScriptedPeer.start(RemoteDeliveryTest.MX1, 0, script);
        toClose.add(peer);
        long start = System.nanoTime();
        List<Attempted> out = RemoteDeliveryTest.delivery(peer.port(), TIMEOUT)
                .attempt(RemoteDeliveryTest.oneMx(), RemoteDeliveryTest.transaction(RemoteDeliveryTest.CONTENT,
                        "a@dest.test"), tls);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0, "took " + took + ": " + out);
        Attempted a = out.getFirst();
        assertInstanceOf(RecipientOutcome.Deferred.class, a.outcome(), a.toString());
        return a;
    }

    private static String reason(Attempted a) {
        return String.join(" ", a.outcome().reply().lines());
    }

    @Test
    void aGreetingThatNeverEndsIsMalformedAfterItsLineLimit() throws Exception {
        Attempted a = deliverTo(conn -> {
            byte[] line = "220-still greeting you\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 100_000; i++) {
                conn.raw(line);
            }
        });
        assertTrue(reason(a).contains("longer than") || reason(a).toLowerCase().contains("malformed"), reason(a));
    }

    @Test
    void anEhloReplyThatNeverEndsDefers() throws Exception {
        Attempted a = deliverTo(conn -> {
            conn.send("220 mx.dest.test ESMTP");
            conn.line();
            byte[] line = "250-PIPELINING\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 100_000; i++) {
                conn.raw(line);
            }
        });
        assertTrue(reason(a).length() > 0, a.toString());
    }

    @Test
    void aReplyWithoutALineEndIsRefusedAtItsLengthLimit() throws Exception {
        Attempted a = deliverTo(conn -> {
            byte[] junk = new byte[64 * 1024];
            Arrays.fill(junk, (byte) '2');
            for (int i = 0; i < 160; i++) { // 10 MiB without a line end
                conn.raw(junk);
            }
        });
        assertTrue(reason(a).contains("octets") || reason(a).toLowerCase().contains("connection"), reason(a));
    }

    @Test
    void tenMegabytesOfJunkLinesDeferAsAProtocolError() throws Exception {
        Attempted a = deliverTo(conn -> {
            byte[] junk = "\u0000\u00ff junk that is no reply at all\r\n".getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 10 * 1024 * 1024 / junk.length; i++) {
                conn.raw(junk);
            }
        });
        assertTrue(!reason(a).isEmpty(), a.toString());
    }

    @Test
    void aReplyDrippedSlowerThanTheTimeoutDefersWithATimeout() throws Exception {
        Attempted a = deliverTo(conn -> {
            for (char c : "220 mx.dest.test ESMTP\r\n".toCharArray()) {
                conn.raw(new byte[] {(byte) c});
                Thread.sleep(TIMEOUT.toMillis() / 4);
            }
        });
        assertTrue(reason(a).contains("Timeout"), reason(a));
    }

    @Test
    void tlsThatStallsMidHandshakeDefersWithinTheTimeout() throws Exception {
        Attempted a = deliverTo(conn -> {
            conn.send("220 mx.dest.test ESMTP");
            conn.line();
            conn.send("250-mx.dest.test", "250 STARTTLS");
            conn.line(); // STARTTLS
            conn.send("220 2.0.0 go ahead");
            conn.readSome(); // the ClientHello, never answered
            Thread.sleep(BOUND.toMillis());
        }, TlsPolicy.REQUIRE);
        assertTrue(!reason(a).isEmpty(), a.toString());
    }

    @Test
    void aServerThatClosesMidDataDefersAsALostConnection() throws Exception {
        Attempted a = deliverTo(conn -> {
            conn.send("220 mx.dest.test ESMTP");
            conn.line();
            conn.send("250 mx.dest.test");
            conn.line();
            conn.send("250 2.1.0 ok");
            conn.line();
            conn.send("250 2.1.5 ok");
            conn.line();
            conn.send("354 go on");
            conn.readSome();
            conn.close();
        });
        assertTrue(reason(a).toLowerCase().contains("connection"), reason(a));
    }

}
