package dev.petrel.conversation;

import dev.petrel.mail.Reply;
import dev.petrel.smtp.Response;
import dev.petrel.smtp.ServerSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Drives a socket-free {@link ServerSession} as the server's connection would: input is split into lines as
 * the server's line reader splits it (LF ends a line, one CR before it is dropped, a line over the limit is
 * reported as too long), message content and BDAT chunks go to the session as raw bytes, and what was
 * buffered when STARTTLS is accepted is thrown away. Replies are kept as lines for the script to read.
 */
final class MemoryTransport implements Transport {

    static final String TLS_PROTOCOL = "TLSv1.3";
    static final String TLS_CIPHER = "TLS_AES_128_GCM_SHA256";

    private enum Mode { COMMAND, DATA, CHUNK, AWAITING_HANDSHAKE, CLOSED }

    private final ServerSession session;
    private final int maxLineLength;
    private final Deque<String> replies = new ArrayDeque<>();
    private byte[] input = new byte[0];
    private Mode mode = Mode.COMMAND;

    MemoryTransport(ServerSession session, int maxLineLength, boolean implicitTls) {
        this.session = session;
        this.maxLineLength = maxLineLength;
        if (implicitTls) {
            // as the connection does for submissions: the handshake comes before the greeting
            session.tlsStarted(TLS_PROTOCOL, TLS_CIPHER);
        }
        handle(session.greet());
    }

    @Override
    public void send(byte[] bytes) {
        if (mode == Mode.CLOSED) {
            return;
        }
        input = concat(input, bytes);
        process();
    }

    @Override
    public String readLine() throws IOException {
        if (!replies.isEmpty()) {
            return replies.removeFirst();
        }
        if (mode == Mode.CLOSED) {
            return null;
        }
        throw new IOException("no reply: the session waits for more input (" + mode + ")");
    }

    @Override
    public void startTls() throws IOException {
        if (mode != Mode.AWAITING_HANDSHAKE) {
            throw new IOException("the session did not accept STARTTLS (" + mode + ")");
        }
        session.tlsStarted(TLS_PROTOCOL, TLS_CIPHER);
        mode = Mode.COMMAND;
    }

    @Override
    public void idle() {
        if (mode != Mode.CLOSED) {
            // what the connection does when the socket's read times out
            handle(session.onTimeout());
        }
    }

    @Override
    public void close() {
        mode = Mode.CLOSED;
    }

    /** Replies the script did not read: in memory they are all known at once, so none may be left over. */
    List<String> unread() {
        return List.copyOf(replies);
    }

    // Feeds the input to the session until it needs more.
    private void process() {
        boolean progress = true;
        while (progress) {
            progress = switch (mode) {
                case COMMAND -> nextLine();
                case DATA -> nextData();
                case CHUNK -> nextChunk();
                case AWAITING_HANDSHAKE, CLOSED -> false;
            };
        }
    }

    private boolean nextLine() {
        int lf = indexOf(input, (byte) '\n');
        if (lf < 0) {
            return false;
        }
        byte[] line = Arrays.copyOf(input, lf);
        consume(lf + 1);
        // as the server's LineInput: the length before the LF, CR included, is held against the limit
        if (line.length > maxLineLength) {
            handle(session.onLineTooLong());
        } else {
            handle(session.onLine(stripCr(line)));
        }
        return true;
    }

    private boolean nextData() {
        if (input.length == 0) {
            return false;
        }
        int used = session.receiveData(input, 0, input.length);
        consume(used);
        if (!session.dataComplete()) {
            return false;
        }
        mode = Mode.COMMAND;
        handle(session.finishData());
        return true;
    }

    private boolean nextChunk() {
        long pending = session.pendingChunkSize();
        int n = (int) Math.min(pending, input.length);
        if (n > 0) {
            session.receiveChunk(input, 0, n);
            consume(n);
        }
        if (session.pendingChunkSize() > 0) {
            return false;
        }
        mode = Mode.COMMAND;
        handle(session.finishChunk());
        return true;
    }

    private void handle(Response response) {
        for (Reply reply : response.replies()) {
            String text = new String(reply.toBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\r\n")) {
                replies.addLast(line);
            }
        }
        switch (response.action()) {
            case CONTINUE -> { }
            case CLOSE -> {
                mode = Mode.CLOSED;
                input = new byte[0];
            }
            case START_TLS -> {
                // RFC 3207 and CVE-2011-0411: what was pipelined after STARTTLS is discarded, as the server does
                mode = Mode.AWAITING_HANDSHAKE;
                input = new byte[0];
            }
            case READ_DATA -> mode = Mode.DATA;
            case READ_CHUNK -> mode = Mode.CHUNK;
        }
    }

    private void consume(int n) {
        input = Arrays.copyOfRange(input, n, input.length);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] stripCr(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
