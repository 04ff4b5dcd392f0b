package dev.petrel.net;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * One client connection to an SMTP or LMTP server: every write and every reply line bounded by a {@link Deadlines}
 * watch, reply lines limited in length ({@link ReplyLines}). A wait past its timeout closes the connection and
 * throws {@link SocketTimeoutException}. {@link #connect} opens a TCP socket that STARTTLS can later upgrade (SMTP);
 * {@link #open} opens a socket channel, to a TCP address or a Unix socket, without TLS (LMTP).
 */
public final class ClientChannel implements AutoCloseable {

    /** Layers TLS over the plain socket for STARTTLS, with the caller's parameters and certificate checks. */
    @FunctionalInterface
    public interface TlsUpgrade {
        SSLSocket layer(Socket plain) throws IOException;
    }

    private final Deadlines.Watch watch;
    // every write and read sets its own timeout first; until then, the connect's
    private final Duration connectTimeout;
    // the expiry closes whichever connection is current; it runs only after a wait began, which the watch orders
    private volatile Closeable connection;
    private WatchedStreams streams;
    private InputStream in;
    private OutputStream out;

    private ClientChannel(Deadlines deadlines, Duration connectTimeout) {
        this.watch = deadlines.watch(Deadlines.Expiry.closing(this::closeConnection));
        this.connectTimeout = connectTimeout;
    }

    /**
     * Connects a TCP socket to {@code address} within {@code timeout} (the socket's own connect timeout), with
     * Nagle's algorithm off; an {@link IOException} says no connection was made.
     */
    public static ClientChannel connect(InetSocketAddress address, Duration timeout, Deadlines deadlines)
            throws IOException {
        return connect(address, null, timeout, deadlines);
    }

    /**
     * As {@link #connect(InetSocketAddress, Duration, Deadlines)}, from {@code source} (bound on any free port
     * first; null: the system chooses the address).
     */
    public static ClientChannel connect(InetSocketAddress address, InetAddress source, Duration timeout,
                                        Deadlines deadlines) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(address, (int) timeout.toMillis());
            ClientChannel c = new ClientChannel(deadlines, timeout);
            try {
                c.use(socket, socket.getInputStream(), socket.getOutputStream());
            } catch (IOException e) {
                c.watch.close();
                throw e;
            }
            return c;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Opens a socket channel to a TCP address or a {@link UnixDomainSocketAddress} within {@code timeout}, timed by
     * the watch (a blocking connect has no timeout of its own). An unresolved {@link InetSocketAddress} is resolved
     * within that time too; its protocol family is IPv6 when its host is an IPv6 literal. No STARTTLS on it.
     */
    public static ClientChannel open(SocketAddress address, Duration timeout, Deadlines deadlines) throws IOException {
        SocketChannel channel = SocketChannel.open(family(address));
        ClientChannel c = new ClientChannel(deadlines, timeout);
        c.use(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
        try {
            WatchedStreams.silently(c.watch, timeout, () -> channel.connect(resolved(address)));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static ProtocolFamily family(SocketAddress address) {
        return switch (address) {
            case UnixDomainSocketAddress unix -> StandardProtocolFamily.UNIX;
            case InetSocketAddress inet when inet.isUnresolved() ->
                    inet.getHostString().contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            case InetSocketAddress inet ->
                    inet.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            default -> throw new IllegalArgumentException("neither a TCP address nor a Unix socket: " + address);
        };
    }

    private static SocketAddress resolved(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return new InetSocketAddress(inet.getHostString(), inet.getPort());
        }
        return address;
    }

    private void use(Closeable current, InputStream rawIn, OutputStream rawOut) {
        this.connection = current;
        this.streams = new WatchedStreams(watch, rawIn, rawOut, connectTimeout);
        // a new buffer: whatever the server sent after its 220 to STARTTLS is dropped (RFC 3207 4.2 and 6)
        this.in = new BufferedInputStream(streams.in());
        this.out = streams.out();
    }

    /** Writes all the bytes within {@code timeout}, or closes the connection: {@link SocketTimeoutException}. */
    public void write(byte[] bytes, Duration timeout) throws IOException {
        streams.timeout(timeout);
        out.write(bytes);
        out.flush();
    }

    /**
     * One reply line without its line ending, read within {@code timeout} as a whole; {@link EOFException} when the
     * server closed the connection.
     */
    public byte[] readLine(Duration timeout) throws IOException {
        streams.deadline(timeout);
        return ReplyLines.read(in);
    }

    /**
     * Layers TLS over the TCP socket of {@link #connect} and runs the handshake within {@code timeout}; afterwards
     * all I/O goes through TLS.
     */
    public void startTls(TlsUpgrade upgrade, Duration timeout) throws IOException {
        if (!(connection instanceof Socket plain) || plain instanceof SSLSocket) {
            throw new IllegalStateException("STARTTLS needs a plain TCP socket from connect()");
        }
        SSLSocket tls = upgrade.layer(plain);
        use(tls, tls.getInputStream(), tls.getOutputStream());
        WatchedStreams.silently(watch, timeout, tls::startHandshake);
    }

    public boolean tlsActive() {
        return connection instanceof SSLSocket;
    }

    /** The certificates the server presented in the TLS handshake, its own first; none without TLS. */
    public List<X509Certificate> peerCertificates() {
        if (!(connection instanceof SSLSocket tls)) {
            return List.of();
        }
        try {
            return Arrays.stream(tls.getSession().getPeerCertificates()).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** The address this end of a TCP connection is bound to; null for a Unix socket. */
    public InetAddress localAddress() {
        return connection instanceof Socket socket ? socket.getLocalAddress() : null;
    }

    @Override
    public void close() {
        watch.close();
        closeConnection();
    }

    private void closeConnection() {
        Closeable current = connection;
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
