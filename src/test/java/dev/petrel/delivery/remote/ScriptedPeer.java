package dev.petrel.delivery.remote;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A remote MX for tests: listens on one loopback address and runs a {@link Script} for each connection, on a
 * thread of its own. Every read waits at most {@link #READ_TIMEOUT}; {@link #close} stops the listener and every
 * connection and waits for their threads.
 */
final class ScriptedPeer implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** What the peer does with one connection. */
    interface Script {
        void run(Conn conn) throws Exception;
    }

    /** A message as the peer took it. */
    record Received(String mailFrom, List<String> rcptTo, byte[] content, boolean tls, int connection) {}

    private final ServerSocket listener;
    private final Script script;
    private final Thread acceptor;
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> transcript = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private ScriptedPeer(ServerSocket listener, Script script) {
        this.listener = listener;
        this.script = script;
        this.acceptor = Thread.ofPlatform().daemon().name("peer-" + listener.getLocalSocketAddress()).start(this::accept);
    }

    /** A peer on {@code address} and {@code port} (0: any free port). */
    static ScriptedPeer start(String address, int port, Script script) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        return new ScriptedPeer(socket, script);
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                sockets.add(s);
                int number = connections.incrementAndGet();
                handlers.add(Thread.ofPlatform().daemon().start(() -> handle(s, number)));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket, int number) {
        try (Conn conn = new Conn(socket, number)) {
            script.run(conn);
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test is over
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(5000);
            for (Thread t : handlers) {
                t.interrupt();
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection, from the peer's side. */
    final class Conn implements AutoCloseable {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        final int number;

        Conn(Socket socket, int number) throws IOException {
            this.number = number;
            use(socket);
        }

        private void use(Socket s) throws IOException {
            socket = s;
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        boolean tls() {
            return socket instanceof SSLSocket;
        }

        /** The address the client connected from. */
        String client() {
            return socket.getInetAddress().getHostAddress();
        }

        /** The next line without CRLF; {@link EOFException} when the client closed. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException();
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.UTF_8);
            text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            transcript.add("C: " + text);
            return text;
        }

        void send(String... lines) throws IOException {
            StringBuilder all = new StringBuilder();
            for (String l : lines) {
                transcript.add("S: " + l);
                all.append(l).append("\r\n");
            }
            raw(all.toString().getBytes(StandardCharsets.UTF_8));
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Reads some octets, whatever they are (a ClientHello, the start of the content). */
        int readSome() throws IOException {
            return in.read(new byte[4096]);
        }

        /** The content after 354 up to the lone dot, with the dot-stuffing undone (RFC 5321 4.5.2). */
        byte[] data() throws IOException {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                do {
                    b = in.read();
                    if (b < 0) {
                        throw new EOFException();
                    }
                    line.write(b);
                } while (b != '\n');
                byte[] bytes = line.toByteArray();
                if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                    return content.toByteArray();
                }
                int from = bytes.length > 0 && bytes[0] == '.' ? 1 : 0;
                content.write(bytes, from, bytes.length - from);
            }
        }

        void startTls(SSLContext context) throws IOException {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            tls.setUseClientMode(false);
            use(tls);
            tls.startHandshake();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Several peers on one port, one per loopback address. */
    static List<ScriptedPeer> startAll(List<String> addresses, List<Script> scripts) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<ScriptedPeer> peers = new ArrayList<>();
            try {
                int port = 0;
                for (int i = 0; i < addresses.size(); i++) {
                    peers.add(start(addresses.get(i), port, scripts.get(i)));
                    port = peers.getFirst().port();
                }
                return peers;
            } catch (IOException taken) {
                for (ScriptedPeer p : peers) {
                    try {
                        p.close();
                    } catch (Exception ignored) {
                        // retry with another port
                    }
                }
            }
        }
        throw new IOException("no port free on all of " + addresses);
    }
}
