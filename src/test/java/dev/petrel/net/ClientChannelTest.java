package dev.petrel.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientChannelTest {

    private static final Duration SECONDS = Duration.ofSeconds(5);

    private final Deadlines deadlines = new Deadlines(Duration.ofMillis(10), Duration.ofMillis(200));

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        deadlines.close();
    }

    /** A loopback TCP server that answers each accepted connection with {@code bytes} and then keeps it open. */
    private static ServerSocket serverSending(byte[] bytes, BlockingQueue<Socket> accepted) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                Socket s = server.accept();
                accepted.add(s);
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the test ended
            }
        });
        return server;
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    @Test
    void replyLinesComeWithoutTheirLineEndsWhetherCrlfOrBareLf() throws Exception {
        BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = serverSending("220 ready\r\n250 ok\n".getBytes(US_ASCII), accepted);
             ClientChannel c = ClientChannel.connect(address(server), SECONDS, deadlines)) {
            assertEquals("220 ready", new String(c.readLine(SECONDS), US_ASCII));
            assertEquals("250 ok", new String(c.readLine(SECONDS), US_ASCII));
            assertFalse(c.tlsActive());
            accepted.take().close();
        }
    }

    @Test
    void writesReachTheServer() throws Exception {
        BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = serverSending(new byte[0], accepted);
             ClientChannel c = ClientChannel.connect(address(server), SECONDS, deadlines)) {
            c.write("EHLO client.test\r\n".getBytes(US_ASCII), SECONDS);
            try (Socket peer = accepted.poll(5, TimeUnit.SECONDS)) {
                byte[] got = peer.getInputStream().readNBytes(18);
                assertEquals("EHLO client.test\r\n", new String(got, US_ASCII));
            }
        }
    }

    @Test
    void aServerThatClosesGivesEndOfFile() throws Exception {
        BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = serverSending("220 bye".getBytes(US_ASCII), accepted);
             ClientChannel c = ClientChannel.connect(address(server), SECONDS, deadlines)) {
            accepted.take().close();
            assertThrows(EOFException.class, () -> c.readLine(SECONDS));
        }
    }

    @Test
    void aSilentServerTimesTheReadOutAndTheConnectionIsClosed() throws Exception {
        BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = serverSending(new byte[0], accepted);
             ClientChannel c = ClientChannel.connect(address(server), SECONDS, deadlines)) {
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> c.readLine(Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start < SECONDS.toNanos());
            try (Socket peer = accepted.take()) {
                // the expiry closed our end: the server reads the end of the stream
                peer.setSoTimeout(5000);
                assertEquals(-1, peer.getInputStream().read());
            }
        }
    }

    @Test
    void aReplyLineLongerThanTheLimitIsRefused() throws Exception {
        byte[] line = ("250 " + "x".repeat(ReplyLines.MAX_LENGTH) + "\r\n").getBytes(US_ASCII);
        BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = serverSending(line, accepted);
             ClientChannel c = ClientChannel.connect(address(server), SECONDS, deadlines)) {
            IOException e = assertThrows(IOException.class, () -> c.readLine(SECONDS));
            assertTrue(e.getMessage().contains("longer than"), e.getMessage());
            accepted.take().close();
        }
    }

    @Test
    void connectingToAClosedPortFails() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = address(s);
        }
        InetSocketAddress target = closed;
        assertThrows(IOException.class, () -> ClientChannel.connect(target, SECONDS, deadlines));
        assertThrows(IOException.class, () -> ClientChannel.open(target, SECONDS, deadlines));
    }

    @Test
    void openReachesAUnixSocketAndHasNoStartTls() throws Exception {
        Path socket = dir.resolve("lmtp");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (ClientChannel c = ClientChannel.open(UnixDomainSocketAddress.of(socket), SECONDS, deadlines);
                 SocketChannel peer = server.accept()) {
                peer.write(ByteBuffer.wrap("220 lmtp\r\n".getBytes(US_ASCII)));
                assertArrayEquals("220 lmtp".getBytes(US_ASCII), c.readLine(SECONDS));
                assertThrows(IllegalStateException.class, () -> c.startTls(plain -> null, SECONDS));
            }
        }
    }

    @Test
    void openResolvesAnUnresolvedAddressWhenConnecting() throws Exception {
        BlockingQueue<Socket> accepted = new ArrayBlockingQueue<>(1);
        try (ServerSocket server = serverSending("220 here\r\n".getBytes(US_ASCII), accepted)) {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved(
                    server.getInetAddress().getHostAddress(), server.getLocalPort());
            try (ClientChannel c = ClientChannel.open(unresolved, SECONDS, deadlines)) {
                assertEquals("220 here", new String(c.readLine(SECONDS), US_ASCII));
                c.write("LHLO x\r\n".getBytes(US_ASCII), SECONDS);
                try (Socket peer = accepted.take()) {
                    InputStream in = peer.getInputStream();
                    assertEquals("LHLO x\r\n", new String(in.readNBytes(8), US_ASCII));
                }
            }
        }
    }
}
