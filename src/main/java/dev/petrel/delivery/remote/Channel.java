package dev.petrel.delivery.remote;

import dev.petrel.delivery.ReplyLines;
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
 * One TCP connection to a remote host, in plaintext and then perhaps in TLS: writes bounded by a watchdog, reply
 * lines read with a timeout and a length limit. A timeout throws {@link SocketTimeoutException}.
 */
final class Channel implements AutoCloseable {

    private final Endpoint endpoint;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private volatile boolean writeTimedOut;

    private Channel(Endpoint endpoint, Socket socket) throws IOException {
        this.endpoint = endpoint;
        use(socket);
    }

    /** Connects within {@code timeout}; an {@link IOException} says no connection was made. */
    static Channel connect(Endpoint endpoint, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.address(), endpoint.port()), (int) timeout.toMillis());
            return new Channel(endpoint, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        // a new buffer: whatever the server sent after its 220 to STARTTLS is dropped (RFC 3207 4.2 and 6)
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Writes all the bytes within {@code timeout}, or closes the connection: {@link SocketTimeoutException}. */
    void write(byte[] bytes, Duration timeout) throws IOException {
        // a blocking write has no timeout of its own: a watchdog closes the socket when the time is up
        Thread watchdog = Thread.ofVirtual().start(() -> closeAfter(timeout));
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            if (writeTimedOut) {
                throw new SocketTimeoutException("write timed out after " + timeout);
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    private void closeAfter(Duration timeout) {
        try {
            Thread.sleep(timeout);
            writeTimedOut = true;
            socket.close();
        } catch (InterruptedException | IOException e) {
            // the write ended in time, or the socket is closed anyway
        }
    }

    /** One reply line without its line ending; {@link EOFException} when the server closed the connection. */
    byte[] readLine(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return ReplyLines.read(in);
    }

    /** Runs the TLS handshake over this connection, within {@code timeout}; afterwards all I/O goes through TLS. */
    void startTls(SSLSocketFactory factory, boolean verifyHostName, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        SSLSocket tls = (SSLSocket) factory.createSocket(socket, endpoint.serverName(), endpoint.port(), true);
        TlsContexts.configure(tls, verifyHostName);
        use(tls);
        tls.startHandshake();
    }

    boolean tlsActive() {
        return socket instanceof SSLSocket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
