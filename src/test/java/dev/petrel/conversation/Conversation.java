package dev.petrel.conversation;

import dev.petrel.cli.Petrel;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plays one script against one transport: sends what the client says (consecutive client lines in one
 * write, which is how pipelining is tested), reads and matches the server's replies, and checks the queue
 * afterwards. Keeps a transcript for the failure message.
 */
final class Conversation {

    /** Opens a connection (or an in-memory session) to the script's role. */
    interface Opener {
        Transport open() throws IOException;
    }

    private final Script script;
    private final Opener opener;
    private final Petrel petrel;
    private Transport transport;
    private final List<String> transcript = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Conversation(Script script, Opener opener, Petrel petrel) {
        this.script = script;
        this.opener = opener;
        this.petrel = petrel;
    }

    /** Runs every step; throws {@link ScriptFailure} at the first one that does not hold. */
    void run() throws IOException {
        transport = opener.open();
        try {
            for (Script.Step step : script.steps()) {
                try {
                    perform(step);
                } catch (IOException e) {
                    throw fail(step, e.toString());
                }
            }
            flush();
            checkAllRead();
        } finally {
            transport.close();
        }
    }

    private void checkAllRead() {
        List<String> unread = transport instanceof MemoryTransport m ? m.unread() : List.of();
        if (!unread.isEmpty()) {
            throw new ScriptFailure(script.name() + ": replies nobody read: " + unread, transcript());
        }
    }

    private void perform(Script.Step step) throws IOException {
        if (step instanceof Script.Step.Send send) {
            pending.writeBytes(send.bytes());
            transcript.add("C: " + printable(send.bytes()));
            return;
        }
        flush();
        switch (step) {
            case Script.Step.Expect e -> expect(e);
            case Script.Step.StartTls s -> {
                transcript.add("-- TLS handshake");
                transport.startTls();
            }
            case Script.Step.Closed c -> closed(c);
            case Script.Step.Idle i -> {
                transcript.add("-- idle");
                transport.idle();
            }
            case Script.Step.Reconnect r -> reconnect();
            case Script.Step.QueueCheck q -> checkQueue(q);
            case Script.Step.Send s -> throw new IllegalStateException("handled above");
        }
    }

    private void flush() throws IOException {
        if (pending.size() > 0) {
            byte[] bytes = pending.toByteArray();
            pending.reset();
            transport.send(bytes);
        }
    }

    private void expect(Script.Step.Expect e) throws IOException {
        String line = read(e);
        if (e.lastOfReply()) {
            // S*: skip the continuation lines ("250-...") of a multi-line reply
            while (line.length() > 3 && line.charAt(3) == '-') {
                line = read(e);
            }
        }
        if (!e.match().matches(line)) {
            throw fail(e, "expected " + e.source() + "\n  but got  " + line);
        }
    }

    private String read(Script.Step.Expect e) throws IOException {
        String line = transport.readLine();
        if (line == null) {
            throw fail(e, "expected " + e.source() + "\n  but the server closed the connection");
        }
        transcript.add("S: " + line);
        return line;
    }

    private void reconnect() throws IOException {
        checkAllRead();
        transport.close();
        transcript.add("-- new connection");
        transport = opener.open();
    }

    private void closed(Script.Step.Closed c) throws IOException {
        String line = transport.readLine();
        if (line != null) {
            transcript.add("S: " + line);
            throw fail(c, "expected the connection to be closed, but got " + line);
        }
        transcript.add("-- closed");
    }

    private void checkQueue(Script.Step.QueueCheck q) throws IOException {
        List<QueuedMessage> queued = petrel.queue().list();
        if (q.what().equals("count")) {
            if (queued.size() != Integer.parseInt(q.argument())) {
                throw fail(q, "expected " + q.argument() + " queued messages, found " + queued.size());
            }
            return;
        }
        if (queued.isEmpty()) {
            throw fail(q, "nothing was queued");
        }
        QueuedMessage last = queued.getLast();
        switch (q.what()) {
            case "contains", "lacks" -> checkContent(q, last);
            case "sender" -> compare(q, "<" + last.envelope().reversePath() + ">", q.argument());
            case "recipients" -> compare(q, last.envelope().recipients().stream()
                    .map(r -> r.address().toString()).collect(Collectors.joining(",")), q.argument());
            case "requiretls" -> compare(q, last.envelope().requireTls() ? "yes" : "no", q.argument());
            default -> throw new IllegalStateException(q.what());
        }
    }

    private void checkContent(Script.Step.QueueCheck q, QueuedMessage message) throws IOException {
        StoredMessage stored = petrel.queue().read(message.id())
                .orElseThrow(() -> fail(q, "queued message " + message.id() + " cannot be read"));
        String content = new String(stored.content(), StandardCharsets.UTF_8);
        boolean found = content.contains(q.argument());
        if (found != q.what().equals("contains")) {
            throw fail(q, "the queued message " + (found ? "contains" : "lacks") + " \"" + printable(q.argument())
                    + "\":\n" + content);
        }
    }

    private void compare(Script.Step.QueueCheck q, String actual, String expected) {
        if (!actual.equals(expected)) {
            throw fail(q, "queue " + q.what() + ": expected " + expected + ", found " + actual);
        }
    }

    private ScriptFailure fail(Script.Step step, String problem) {
        return new ScriptFailure(script.name() + ".smtp:" + step.line() + ": " + problem, transcript());
    }

    private String transcript() {
        return String.join("\n", transcript);
    }

    static String printable(byte[] bytes) {
        return printable(new String(bytes, StandardCharsets.UTF_8));
    }

    static String printable(String s) {
        String shown = s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
        return shown.length() > 200 ? shown.substring(0, 200) + "... (" + shown.length() + " chars)" : shown;
    }

    /** A step that did not hold, with the conversation up to it. */
    static final class ScriptFailure extends RuntimeException {
        private final String transcript;

        ScriptFailure(String message, String transcript) {
            super(message);
            this.transcript = transcript;
        }

        String transcript() {
            return transcript;
        }
    }
}
