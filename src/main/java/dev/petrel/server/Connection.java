package dev.petrel.server;

import dev.petrel.mail.Reply;
import dev.petrel.net.Deadlines;
import dev.petrel.net.WatchedStreams;
import dev.petrel.smtp.Response;
import dev.petrel.smtp.ServerSession;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One client connection: reads from the socket, feeds the {@link ServerSession}, writes its replies. Runs on
 * its own virtual thread. Replies to pipelined commands are sent together once the input buffer is empty
 * (RFC 2920 3.2). Waits on the socket are timed by {@link Deadlines}: a client silent past the phase's timeout
 * is told so (421 4.4.2) and the connection closed from there, while this thread's read fails and it ends.
 * When the server drains, a connection waiting for a command between transactions is told the service is
 * shutting down (421 4.3.2) and closed; one inside a transaction is let finish it first.
 */
final class Connection implements Runnable {

    private final ServerSession session;
    private final SSLContext tls;
    private final ServerOptions options;
    private final Role role;
    private final Deadlines deadlines;
    private final Consumer<Connection> onClose;
    private final ServerMeters meters;
    private final Socket accepted;
    // IDLE only while this thread waits for a command outside a transaction: then a drain may close it
    private final AtomicInteger state = new AtomicInteger(BUSY);
    private volatile boolean draining;
    private static final int BUSY = 0;
    private static final int IDLE = 1;
    private static final int CLOSED = 2;
    // written by this connection's thread; the expiry reads them only after a wait began, which the watch orders
    private Socket socket;
    private Deadlines.Watch watch;
    private WatchedStreams streams;
    private LineInput in;
    private ReplyBuffer out;
    private OutputStream rawOut;

    Connection(Socket socket, ServerSession session, SSLContext tls, ServerOptions options, Role role,
               Deadlines deadlines, ServerMeters meters, Consumer<Connection> onClose) {
        this.meters = meters;
        this.socket = socket;
        this.accepted = socket;
        this.session = session;
        this.tls = tls;
        this.options = options;
        this.role = role;
        this.deadlines = deadlines;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        watch = deadlines.watch(new Deadlines.Expiry() {
            @Override
            public void readExpired() {
                // RFC 5321 4.5.3.2: 421 and close; the session is idle, its thread blocked in a read
                sendQuietly(session.onTimeout());
                closeQuietly();
            }

            @Override
            public void close() {
                closeQuietly();
            }
        });
        try {
            if (role.implicitTls() && !startTls()) {
                return;
            }
            useStreams();
            if (handle(session.greet())) {
                converse();
            }
        } catch (IOException e) {
            // the client went away, the network failed or a deadline passed (the expiry answers that);
            // nothing was acknowledged that is not on disk
        } finally {
            closeQuietly();
            onClose.accept(this);
        }
    }

    private void converse() throws IOException {
        while (true) {
            boolean between = betweenTransactions();
            if (between && draining) {
                handle(session.onShutdown());
                return;
            }
            // with pipelined commands buffered, the read does not wait, and the replies are not all sent yet
            boolean idle = between && !in.hasBuffered();
            if (idle) {
                in.shrink();
                out.shrink();
                if (!awaitCommand()) {
                    return;
                }
            }
            // the whole command line within the phase's timeout: a client dripping one octet at a time cannot stretch it
            streams.deadline(timeout());
            byte[] line = in.readLine(options.maxLineLength());
            if (line == null || idle && !state.compareAndSet(IDLE, BUSY)) {
                return; // the client left, or a drain closed the connection while it waited
            }
            Response response = line == LineInput.TOO_LONG ? session.onLineTooLong() : session.onLine(line);
            if (!handle(response)) {
                return;
            }
        }
    }

    private boolean betweenTransactions() {
        return switch (session.phase()) {
            case HELO, MAIL -> true;
            case RCPT, DATA_BLOCK, AUTH -> false;
        };
    }

    /**
     * Marks this connection as one a drain may close while it waits; false when the server is draining, after
     * telling the client so. Whichever of this thread and the drain takes the connection says 421 (the other
     * sees the flag or the state the first one set).
     */
    private boolean awaitCommand() throws IOException {
        state.set(IDLE);
        if (draining && state.compareAndSet(IDLE, BUSY)) {
            handle(session.onShutdown());
            return false;
        }
        return state.get() != CLOSED;
    }

    /** The server is going down: close now if waiting between transactions, else after the transaction. */
    void drain() {
        draining = true;
        if (state.compareAndSet(IDLE, CLOSED)) {
            sendQuietly(session.onShutdown());
            closeQuietly();
        }
    }

    /** The drain's time is up: close whatever the session is doing; nothing unacknowledged was promised. */
    void abort() {
        state.set(CLOSED);
        try {
            accepted.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Sends the replies and does what the response asks; false when the connection is to close. */
    private boolean handle(Response response) throws IOException {
        for (Reply reply : response.replies()) {
            out.write(reply.toBytes());
            meters.replied(reply);
        }
        return switch (response.action()) {
            case CONTINUE -> {
                if (!in.hasBuffered()) {
                    out.flush();
                }
                yield true;
            }
            case CLOSE -> {
                out.flush();
                yield false;
            }
            case START_TLS -> {
                out.flush();
                // RFC 3207 and CVE-2011-0411: nothing sent in clear text after STARTTLS may be used
                in.discardBuffered();
                if (!startTls()) {
                    yield false;
                }
                useStreams();
                yield true;
            }
            case READ_DATA -> {
                out.flush();
                streams.timeout(options.dataBlockTimeout());
                yield in.feed(session::receiveData, session::dataComplete) && handle(session.finishData());
            }
            case READ_CHUNK -> {
                streams.timeout(options.dataBlockTimeout());
                yield in.feedExactly(session.pendingChunkSize(), (b, o, l) -> {
                    session.receiveChunk(b, o, l);
                    return l;
                }) && handle(session.finishChunk());
            }
        };
    }

    private boolean startTls() throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(TlsMaterial.PROTOCOLS);
        socket = ssl;
        try {
            // a handshake that outlasts its deadline ends in silence: the expiry closes the connection
            WatchedStreams.silently(watch, options.tlsHandshakeTimeout(), ssl::startHandshake);
        } catch (IOException e) {
            return false;
        }
        SSLSession s = ssl.getSession();
        session.tlsStarted(s.getProtocol(), s.getCipherSuite());
        return true;
    }

    private void useStreams() throws IOException {
        rawOut = socket.getOutputStream();
        streams = new WatchedStreams(watch, socket.getInputStream(), rawOut, timeout());
        in = new LineInput(streams.in());
        out = new ReplyBuffer(streams.out());
    }

    private Duration timeout() {
        return switch (session.phase()) {
            case HELO -> options.heloTimeout();
            case MAIL -> options.mailTimeout();
            case RCPT -> options.rcptTimeout();
            case DATA_BLOCK -> options.dataBlockTimeout();
            case AUTH -> options.authTimeout();
        };
    }

    // past the watch: the deadline has passed already, and this write is the last
    private void sendQuietly(Response response) {
        try {
            for (Reply reply : response.replies()) {
                rawOut.write(reply.toBytes());
                meters.replied(reply);
            }
            rawOut.flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; closing is all that is left
        }
    }

    private void closeQuietly() {
        watch.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
