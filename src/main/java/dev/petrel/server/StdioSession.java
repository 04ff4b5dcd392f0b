package dev.petrel.server;

import dev.petrel.mail.Reply;
import dev.petrel.smtp.Response;
import dev.petrel.smtp.ServerSession;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An SMTP session on a program's standard input and output ({@code sendmail -bs}, as Postfix runs smtpd for
 * it): the same session as on a socket, without TLS (there is nothing to protect on a pipe) and without
 * timeouts (the program on the other end is local and ends the session by closing its output).
 */
public final class StdioSession {

    private final ServerSession session;
    private final LineInput in;
    private final OutputStream out;
    private final int maxLineLength;

    public StdioSession(ServerSession session, InputStream in, OutputStream out, int maxLineLength) {
        this.session = session;
        this.in = new LineInput(in);
        this.out = new BufferedOutputStream(out);
        this.maxLineLength = maxLineLength;
    }

    /** Greets, then answers commands until QUIT or the end of the input. */
    public void run() throws IOException {
        if (!handle(session.greet())) {
            return;
        }
        while (true) {
            byte[] line = in.readLine(maxLineLength);
            if (line == null) {
                out.flush();
                return;
            }
            if (!handle(line == LineInput.TOO_LONG ? session.onLineTooLong() : session.onLine(line))) {
                return;
            }
        }
    }

    private boolean handle(Response response) throws IOException {
        for (Reply reply : response.replies()) {
            out.write(reply.toBytes());
        }
        out.flush();
        return switch (response.action()) {
            case CONTINUE -> true;
            case CLOSE, START_TLS -> false;
            case READ_DATA -> in.feed(session::receiveData, session::dataComplete) && handle(session.finishData());
            case READ_CHUNK -> in.feedExactly(session.pendingChunkSize(), (b, o, l) -> {
                session.receiveChunk(b, o, l);
                return l;
            }) && handle(session.finishChunk());
        };
    }
}
