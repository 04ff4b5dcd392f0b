package dev.petrel.conversation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines that scripts cannot express: a TLS handshake that never starts, and a client that sends but never
 * reads, over real sockets to a real server.
 */
class ConnectionDeadlinesTest {

    @TempDir
    Path dir;

    private ScriptServer server;

    @BeforeEach
    void start() throws IOException {
        Script.Setup setup = new Script.Setup(Map.of(), List.of(), List.of(), List.of(), Map.of(),
                Map.of("helo", "\"400ms\"", "mail", "\"400ms\"", "tls_handshake", "\"300ms\""));
        Path shared = dir.resolve("shared");
        Files.createDirectories(shared.resolve("tls"));
        server = ScriptServer.start(setup, dir.resolve("data"), shared);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private InetSocketAddress address(int index) {
        return server.petrel().addresses().get(index);
    }

    @Test
    void aClientThatNeverStartsTheImplicitTlsHandshakeIsClosedInSilence() throws IOException {
        // the third listener is submissions (TLS from the first byte)
        try (Socket s = new Socket()) {
            s.connect(address(2), 5000);
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            byte[] got = s.getInputStream().readAllBytes();
            long millis = (System.nanoTime() - start) / 1_000_000;
            // nothing but the TLS alerts (records of content type 21, 2 octets long) that closing a TLS socket sends
            boolean alertsOnly = got.length % 7 == 0;
            for (int i = 0; i < got.length; i += 7) {
                alertsOnly &= got[i] == 21 && got[i + 3] == 0 && got[i + 4] == 2;
            }
            assertTrue(alertsOnly, "closed in silence but for TLS alerts, got " + got.length + " bytes");
            assertTrue(millis >= 250 && millis < 5000, "closed after the 300 ms handshake timeout, took " + millis);
        }
    }

    @Test
    void aClientThatSendsButNeverReadsIsCutOffWhenTheRepliesBackUp() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(0), 5000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            // several megabytes of replies: more than the socket buffers hold, so the server's writes block
            byte[] noops = "NOOP\r\n".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        out.write(noops);
                    }
                } catch (IOException e) {
                    // the server gave up on this client: expected
                }
            });
            sender.join(20_000);
            Thread.sleep(1500);
            // the server's write waited past its deadline and closed: reading what was buffered ends early
            long replies = 0;
            byte[] buffer = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        replies += buffer[i] == '\n' ? 1 : 0;
                    }
                }
            } catch (IOException e) {
                // reset by the server's close with unread input: just as good an end
            }
            assertTrue(replies < 1_000_000, "the server stopped answering, after " + replies + " replies");
        }
    }

    @Test
    void aClientThatDripsACommandOneOctetAtATimeIsClosedAtTheCommandsTimeout() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(0), 5000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            java.io.BufferedReader replies = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                    StandardCharsets.US_ASCII));
            assertTrue(replies.readLine().startsWith("220 "));
            long start = System.nanoTime();
            // each octet well within the 400 ms helo timeout, the line as a whole far beyond it
            try {
                for (char c : "EHLO a-very-slow-client.test".toCharArray()) {
                    out.write(c);
                    out.flush();
                    Thread.sleep(150);
                }
            } catch (IOException e) {
                // closed by the server: expected
            }
            String reply;
            try {
                reply = replies.readLine();
            } catch (IOException e) {
                // the server closed with our late octets unread: the reset can overtake its 421
                reply = null;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(reply == null || reply.startsWith("421 4.4.2"), "timed out and closed: " + reply);
            assertTrue(millis < 3000, "closed near the 400 ms timeout, not after the whole drip: " + millis + " ms");
        }
    }
}
