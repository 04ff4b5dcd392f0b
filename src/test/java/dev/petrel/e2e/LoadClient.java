package dev.petrel.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

/**
 * One SMTP client thread of the crash test: plain sockets, one command at a time (no pipelining), several
 * messages per connection, each with a unique random body. It remembers every message it sent, by the
 * unique id in its body, and the queue id of every message the server acknowledged with 250.
 */
final class LoadClient implements Runnable {

    /** A message as the client sent it: its SHA-256 and length, and the queue id if it was acknowledged. */
    record Sent(String token, int round, String sha256, int length) {}

    /** What all the clients of a test share. */
    static final class Book {
        /** Every message whose DATA was started, by the token in its body. */
        final Map<String, Sent> attempted = new ConcurrentHashMap<>();
        /** Every acknowledged message, by the queue id the server gave it. */
        final Map<String, Sent> acknowledged = new ConcurrentHashMap<>();
        /** Replies or failures that a healthy server never causes. */
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        /** Clients that have sent the final dot and not yet read the reply. */
        final AtomicInteger awaitingReply = new AtomicInteger();
        /** Set just before the server is killed: from then on, broken connections are expected. */
        final AtomicBoolean killed = new AtomicBoolean();
        /** Set once the server is dead: the clients stop. */
        final AtomicBoolean stop = new AtomicBoolean();
    }

    static final String RECIPIENT = "alice@localhost";
    private static final int MAX_PER_CONNECTION = 5;

    private final InetSocketAddress server;
    private final Book book;
    private final int round;
    private final int maxMessages;
    private final long deadlineNanos;
    private final Random random;
    private final String recipient;

    LoadClient(InetSocketAddress server, Book book, int round, int maxMessages, long deadlineNanos, long seed) {
        this(server, book, round, maxMessages, deadlineNanos, seed, RECIPIENT);
    }

    LoadClient(InetSocketAddress server, Book book, int round, int maxMessages, long deadlineNanos, long seed,
               String recipient) {
        this.recipient = recipient;
        this.server = server;
        this.book = book;
        this.round = round;
        this.maxMessages = maxMessages;
        this.deadlineNanos = deadlineNanos;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        int sent = 0;
        while (running() && sent < maxMessages) {
            try (Socket socket = new Socket()) {
                socket.connect(server, 10_000);
                socket.setSoTimeout(30_000);
                sent += converse(new BufferedInputStream(socket.getInputStream()),
                        new BufferedOutputStream(socket.getOutputStream()), maxMessages - sent);
            } catch (UnexpectedReply e) {
                return; // already in the book, unless the server was being killed
            } catch (IOException e) {
                if (!book.killed.get()) {
                    book.unexpected.add("connection failed before the kill: " + e);
                }
                return;
            }
        }
    }

    private boolean running() {
        return !book.stop.get() && System.nanoTime() - deadlineNanos < 0;
    }

    private int converse(InputStream in, OutputStream out, int budget) throws IOException {
        expect(in, "220", "greeting");
        command(out, "EHLO load.e2e.test");
        expect(in, "250", "EHLO");
        int sent = 0;
        int perConnection = 1 + random.nextInt(MAX_PER_CONNECTION);
        while (sent < Math.min(perConnection, budget) && running()) {
            transaction(in, out);
            sent++;
        }
        command(out, "QUIT");
        expect(in, "221", "QUIT");
        return sent;
    }

    private void transaction(InputStream in, OutputStream out) throws IOException {
        String token = UUID.randomUUID().toString();
        byte[] message = message(token);
        command(out, "MAIL FROM:<load@remote.test>");
        expect(in, "250", "MAIL");
        command(out, "RCPT TO:<" + recipient + ">");
        expect(in, "250", "RCPT");
        command(out, "DATA");
        expect(in, "354", "DATA");
        Sent sent = new Sent(token, round, sha256(message), message.length);
        book.attempted.put(token, sent);
        out.write(dotStuffed(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        book.awaitingReply.incrementAndGet();
        String reply;
        try {
            out.flush();
            reply = readReply(in);
        } finally {
            book.awaitingReply.decrementAndGet();
        }
        Matcher m = Queued.QUEUED_AS.matcher(reply);
        if (!m.find()) {
            throw unexpected("end of DATA", reply);
        }
        if (book.acknowledged.putIfAbsent(m.group(1), sent) != null) {
            book.unexpected.add("queue id " + m.group(1) + " acknowledged twice");
        }
    }

    // a few KiB of random data, base64 in 76-column lines, around lines that need dot-stuffing
    private byte[] message(String token) {
        byte[] noise = new byte[1024 + random.nextInt(5 * 1024)];
        random.nextBytes(noise);
        String body = Base64.getMimeEncoder().encodeToString(noise);
        String text = "From: <load@remote.test>\r\n"
                + "To: <" + recipient + ">\r\n"
                + "Subject: crash test round " + round + "\r\n"
                + "X-E2E-Id: " + token + "\r\n"
                + "\r\n"
                + ".leading dot " + token + "\r\n"
                + body + "\r\n"
                + "..\r\n"
                + ".\tend " + token + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 5321 4.5.2: a line that starts with a dot gets one more. */
    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 16);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void expect(InputStream in, String code, String step) throws IOException {
        String reply = readReply(in);
        if (!reply.startsWith(code)) {
            throw unexpected(step, reply);
        }
    }

    private UnexpectedReply unexpected(String step, String reply) {
        UnexpectedReply e = new UnexpectedReply("unexpected reply to " + step + ": " + reply.strip());
        if (!book.killed.get()) {
            book.unexpected.add(e.getMessage());
        }
        return e;
    }

    private static final class UnexpectedReply extends IOException {
        UnexpectedReply(String message) {
            super(message);
        }
    }

    /** A whole reply, every line of a multi-line one; EOF in the middle is an IOException. */
    private static String readReply(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine(in);
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed" + (line.isEmpty() ? "" : " after '" + line + "'"));
            }
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                return line.substring(0, end);
            }
            line.append((char) b);
        }
    }
}
