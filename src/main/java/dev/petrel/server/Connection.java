package dev.petrel.server;

import dev.petrel.mail.Reply;
import dev.petrel.smtp.Response;
import dev.petrel.smtp.ServerSession;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One client connection: reads from the socket, feeds the {@link ServerSession}, writes its replies. Runs on
 * its own virtual thread. Replies to pipelined commands are sent together once the input buffer is empty
 * (RFC 2920 3.2).
 */
final class Connection implements Runnable {

    private final ServerSession session;
    private final SSLContext tls;
    private final ServerOptions options;
    private final Role role;
    private final Runnable onClose;
    private Socket socket;
    private LineInput in;
    private OutputStream out;

    Connection(Socket socket, ServerSession session, SSLContext tls, ServerOptions options, Role role, Runnable onClose) {
        this.socket = socket;
        this.session = session;
        this.tls = tls;
        this.options = options;
        this.role = role;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try {
            if (role.implicitTls() && !startTls()) {
                return;
            }
            useStreams();
            if (handle(session.greet())) {
                converse();
            }
        } catch (SocketTimeoutException e) {
            sendQuietly(session.onTimeout());
        } catch (IOException e) {
            // the client went away or the network failed; nothing was acknowledged that is not on disk
        } finally {
            closeQuietly();
            onClose.run();
        }
    }

    private void converse() throws IOException {
        while (true) {
            socket.setSoTimeout(timeout());
            byte[] line = in.readLine(options.maxLineLength());
            if (line == null) {
                return;
            }
            Response response = line == LineInput.TOO_LONG ? session.onLineTooLong() : session.onLine(line);
            if (!handle(response)) {
                return;
            }
        }
    }

    /** Sends the replies and does what the response asks; false when the connection is to close. */
    private boolean handle(Response response) throws IOException {
        for (Reply reply : response.replies()) {
            out.write(reply.toBytes());
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
                socket.setSoTimeout(millis(options.dataBlockTimeout()));
                yield in.feed(session::receiveData, session::dataComplete) && handle(session.finishData());
            }
            case READ_CHUNK -> {
                socket.setSoTimeout(millis(options.dataBlockTimeout()));
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
        ssl.setSoTimeout(millis(options.tlsHandshakeTimeout()));
        socket = ssl;
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            return false;
        }
        SSLSession s = ssl.getSession();
        session.tlsStarted(s.getProtocol(), s.getCipherSuite());
        return true;
    }

    private void useStreams() throws IOException {
        in = new LineInput(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    private int timeout() {
        return millis(switch (session.phase()) {
            case HELO -> options.heloTimeout();
            case MAIL -> options.mailTimeout();
            case RCPT -> options.rcptTimeout();
            case DATA_BLOCK -> options.dataBlockTimeout();
            case AUTH -> options.authTimeout();
        });
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private void sendQuietly(Response response) {
        try {
            for (Reply reply : response.replies()) {
                out.write(reply.toBytes());
            }
            out.flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; closing is all that is left
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
