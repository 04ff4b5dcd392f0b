package dev.petrel.delivery.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.client.Timeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The LMTP client against loopback servers that stop answering: every wait ends, and the mail is deferred. */
@Timeout(30)
class LmtpClientTest {

    private static final Duration SHORT = Duration.ofMillis(400);

    private ServerSocket server;
    private Thread serving;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.close();
        if (serving != null) {
            serving.join(5_000);
        }
    }

    private interface Peer {
        void run(Socket s) throws IOException, InterruptedException;
    }

    // one connection, handled by `peer` until the test ends
    private void serve(Peer peer) {
        serving = Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                peer.run(s);
                release.await(20, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
    }

    private List<RecipientOutcome> deliver(byte[] content) {
        Envelope env = new Envelope(ReversePath.of(Address.of("sender@remote.test")),
                List.of(Recipient.of(Address.of("bob@example.com"))), Envelope.BodyType.SEVEN_BIT, false,
                Envelope.Ret.NONE, null, null, "local", null);
        LmtpClient client = new LmtpClient("mx.example.com", Timeouts.uniform(SHORT));
        return client.deliver(new LmtpTarget.Inet("127.0.0.1", server.getLocalPort()), Transaction.of(env, content));
    }

    @Test
    void aServerThatNeverGreetsIsGivenUpAfterTheGreetingTimeout() {
        serve(s -> { });
        long start = System.nanoTime();
        List<RecipientOutcome> outcomes = deliver("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, outcomes.getFirst());
        assertEquals(4, d.reply().code() / 100, d.reply().toString());
        assertTrue(took.compareTo(SHORT) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());
    }

    @Test
    void aServerThatStopsReadingTheMessageIsGivenUpAfterTheDataTimeout() {
        serve(s -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            out.write("220 lmtp.test LMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String reply = line.startsWith("LHLO") ? "250-lmtp.test\r\n250 PIPELINING\r\n"
                        : line.startsWith("DATA") ? "354 go on\r\n" : "250 2.1.0 ok\r\n";
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (line.startsWith("DATA")) {
                    return; // and never reads again: the client's write of a big message blocks
                }
            }
        });
        byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(998) + "\r\n").repeat(32 * 1024)
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        List<RecipientOutcome> outcomes = deliver(big);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class, outcomes.getFirst());
        assertEquals(4, d.reply().code() / 100, d.reply().toString());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());
    }
}
