package dev.petrel.delivery.remote;

import dev.petrel.net.Deadlines;
import dev.petrel.net.ReplyLines;
import dev.petrel.net.WatchedStreams;
import dev.petrel.smtp.client.Timeouts;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One TCP connection to a remote host, in plaintext and then perhaps in TLS: writes and reply lines each bounded
 * by a {@link Deadlines} watch, reply lines limited in length. A wait past its timeout closes the connection and
 * throws {@link SocketTimeoutException}.
 */
final class Channel implements AutoCloseable {

    private final Endpoint endpoint;
    private final Deadlines.Watch watch;
    // the expiry closes whichever socket is current; it runs only after a wait began, which the watch orders
    private volatile Socket socket;
    private WatchedStreams streams;
    private InputStream in;
    private OutputStream out;

    private Channel(Endpoint endpoint, Socket socket, Deadlines deadlines) throws IOException {
        this.endpoint = endpoint;
        this.watch = deadlines.watch(Deadlines.Expiry.closing(this::closeSocket));
        try {
            use(socket);
        } catch (IOException e) {
            watch.close();
            throw e;
        }
    }

    /** Connects within {@code timeout}; an {@link IOException} says no connection was made. */
    static Channel connect(Endpoint endpoint, Duration timeout, Deadlines deadlines) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.address(), endpoint.port()), (int) timeout.toMillis());
            return new Channel(endpoint, socket, deadlines);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.streams = new WatchedStreams(watch, s.getInputStream(), s.getOutputStream(), Timeouts.DEFAULTS.mail());
        // a new buffer: whatever the server sent after its 220 to STARTTLS is dropped (RFC 3207 4.2 and 6)
        this.in = new BufferedInputStream(streams.in());
        this.out = streams.out();
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Writes all the bytes within {@code timeout}, or closes the connection: {@link SocketTimeoutException}. */
    void write(byte[] bytes, Duration timeout) throws IOException {
        streams.timeout(timeout);
        out.write(bytes);
        out.flush();
    }

    /** One reply line without its line ending; {@link EOFException} when the server closed the connection. */
    byte[] readLine(Duration timeout) throws IOException {
        streams.timeout(timeout);
        return ReplyLines.read(in);
    }

    /** Runs the TLS handshake over this connection, within {@code timeout}; afterwards all I/O goes through TLS. */
    void startTls(SSLSocketFactory factory, boolean verifyHostName, Duration timeout) throws IOException {
        SSLSocket tls = (SSLSocket) factory.createSocket(socket, endpoint.serverName(), endpoint.port(), true);
        TlsContexts.configure(tls, verifyHostName);
        use(tls);
        WatchedStreams.silently(watch, timeout, tls::startHandshake);
    }

    boolean tlsActive() {
        return socket instanceof SSLSocket;
    }

    @Override
    public void close() {
        watch.close();
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
