package dev.petrel.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.Transaction;
import dev.petrel.smtp.Authenticator;
import dev.petrel.smtp.Response;
import dev.petrel.smtp.ServerSession;
import dev.petrel.smtp.SessionHooks;
import dev.petrel.smtp.SessionInfo;
import dev.petrel.smtp.SessionSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client against Petrel's own server session, wired in memory: what the client writes is what the server
 * reads, and the other way round. Extensions can be hidden from the client to take the DATA and one-by-one paths.
 */
class ServerInteropTest {

    static final byte[] BODY = "Subject: dots\n\n.leading dot\r\n..two\rbare CR\n.\nend".getBytes(StandardCharsets.UTF_8);
    static final byte[] NORMALIZED = DataEncoder.normalize(BODY);

    /** Accepts everyone but local parts starting with "unknown"; keeps what it is given. */
    static final class Hooks implements SessionHooks {
        final List<Envelope> envelopes = new ArrayList<>();
        final List<byte[]> contents = new ArrayList<>();

        @Override
        public Decision connect(SessionInfo session) {
            return Decision.ACCEPT;
        }

        @Override
        public Decision mailFrom(SessionInfo session, ReversePath sender, long declaredSize) {
            return Decision.ACCEPT;
        }

        @Override
        public Decision rcptTo(SessionInfo session, ReversePath sender, Recipient recipient) {
            return recipient.address().localPart().startsWith("unknown")
                    ? Decision.reject(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "No such user")
                    : Decision.ACCEPT;
        }

        @Override
        public Reply deliver(SessionInfo session, Envelope envelope, byte[] content) {
            envelopes.add(envelope);
            contents.add(content);
            return Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok: queued");
        }

        @Override
        public Decision authFailed(SessionInfo session) {
            return Decision.ACCEPT;
        }

        @Override
        public void rejected(SessionInfo session, String stage, Reply reply) {}

        @Override
        public Authenticator authenticator() {
            return null;
        }
    }

    /** The server end of the wire: takes the client's bytes as the listener would, and queues its reply lines. */
    static final class Wire {
        final Hooks hooks = new Hooks();
        final ServerSession server = new ServerSession(
                new SessionSettings("mx.remote.test", false, false, false, 1_000_000, 100, 20), hooks, new Random(1), "192.0.2.1");
        final Set<String> hidden;
        final Deque<String> replyLines = new ArrayDeque<>();
        final ByteArrayOutputStream input = new ByteArrayOutputStream();
        Response.Action mode = Response.Action.CONTINUE;
        int writes;

        Wire(Set<String> hidden) {
            this.hidden = hidden;
            answer(server.greet());
        }

        void write(byte[] bytes) {
            writes++;
            input.writeBytes(bytes);
            byte[] buffer = input.toByteArray();
            int used = consume(buffer);
            input.reset();
            input.write(buffer, used, buffer.length - used);
        }

        private int consume(byte[] buffer) {
            int offset = 0;
            while (offset < buffer.length) {
                int used = switch (mode) {
                    case READ_DATA -> data(buffer, offset);
                    case READ_CHUNK -> chunk(buffer, offset);
                    default -> line(buffer, offset);
                };
                if (used == 0) {
                    break;
                }
                offset += used;
            }
            return offset;
        }

        private int line(byte[] buffer, int offset) {
            for (int i = offset; i + 1 < buffer.length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    answer(server.onLine(Arrays.copyOfRange(buffer, offset, i)));
                    return i + 2 - offset;
                }
            }
            return 0;
        }

        private int data(byte[] buffer, int offset) {
            int used = server.receiveData(buffer, offset, buffer.length - offset);
            if (server.dataComplete()) {
                answer(server.finishData());
            }
            return used;
        }

        private int chunk(byte[] buffer, int offset) {
            int length = (int) Math.min(server.pendingChunkSize(), buffer.length - offset);
            server.receiveChunk(buffer, offset, length);
            if (server.pendingChunkSize() == 0) {
                answer(server.finishChunk());
            }
            return length;
        }

        private void answer(Response response) {
            for (Reply reply : response.replies()) {
                List<String> lines = new ArrayList<>(reply.lines());
                if (reply.code() == 250 && lines.size() > 1) {
                    lines.subList(1, lines.size()).removeIf(l -> hidden.contains(l.split(" ")[0]));
                }
                for (String line : new Reply(reply.code(), reply.status(), lines).render().split("\r\n")) {
                    replyLines.add(line);
                }
            }
            mode = response.action();
            if (mode == Response.Action.READ_CHUNK && server.pendingChunkSize() == 0) {
                answer(server.finishChunk());
            }
        }
    }

    /** Runs the client until the transaction ends, as a driver would. */
    static Step drive(ClientSession client, Wire wire, Step step) {
        for (int turns = 0; turns < 1000; turns++) {
            switch (step) {
                case Step.Send s -> {
                    wire.write(s.bytes());
                    step = client.onLine(wire.replyLines.remove());
                }
                case Step.Read r -> step = client.onLine(wire.replyLines.remove());
                default -> {
                    return step;
                }
            }
        }
        throw new AssertionError("the conversation did not end");
    }

    static Transaction message(String... recipients) {
        return Transaction.of(Dialogue.envelope("sender@petrel.test", recipients), BODY);
    }

    List<String> deliverTwice(Set<String> hidden) {
        Wire wire = new Wire(hidden);
        ClientSession client = new ClientSession(ClientSettings.of("client.test", TlsPolicy.OPPORTUNISTIC),
                message("a@remote.test", "unknown@remote.test", "b@remote.test"));
        Step.Ready first = assertInstanceOf(Step.Ready.class, drive(client, wire, client.start()));
        Step.Ready second = assertInstanceOf(Step.Ready.class,
                drive(client, wire, client.newTransaction(message("unknown@remote.test"))));
        Step.Ready third = assertInstanceOf(Step.Ready.class,
                drive(client, wire, client.newTransaction(message("c@remote.test"))));
        Step.Close close = assertInstanceOf(Step.Close.class, drive(client, wire, client.quit()));
        assertEquals(List.of(), close.outcomes());

        // the server got the content exactly as normalized, for the accepted recipients only
        assertEquals(2, wire.hooks.contents.size());
        for (byte[] content : wire.hooks.contents) {
            assertEquals(new String(NORMALIZED, StandardCharsets.UTF_8), new String(content, StandardCharsets.UTF_8));
        }
        assertEquals(2, wire.hooks.envelopes.getFirst().recipients().size());
        List<String> outcomes = new ArrayList<>(ClientSessionTest.describe(first.outcomes()));
        outcomes.addAll(ClientSessionTest.describe(second.outcomes()));
        outcomes.addAll(ClientSessionTest.describe(third.outcomes()));
        outcomes.add("writes " + wire.writes);
        return outcomes;
    }

    @Test
    void pipelinedChunkingAgainstPetrelsServer() {
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Failed unknown@remote.test 550 5.1.1",
                "Delivered b@remote.test 250 2.0.0", "Failed unknown@remote.test 550 5.1.1",
                "Delivered c@remote.test 250 2.0.0",
                // EHLO; a batch per message (the second's RSET rides with the third's); QUIT
                "writes 5"), deliverTwice(Set.of()));
    }

    @Test
    void pipelinedDataAgainstPetrelsServer() {
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Failed unknown@remote.test 550 5.1.1",
                "Delivered b@remote.test 250 2.0.0", "Failed unknown@remote.test 550 5.1.1",
                "Delivered c@remote.test 250 2.0.0",
                // EHLO; batch and content for the first; batch for the second (DATA refused); batch and content; QUIT
                "writes 7"), deliverTwice(Set.of("CHUNKING")));
    }

    @Test
    void oneCommandAtATimeAgainstPetrelsServer() {
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Failed unknown@remote.test 550 5.1.1",
                "Delivered b@remote.test 250 2.0.0", "Failed unknown@remote.test 550 5.1.1",
                "Delivered c@remote.test 250 2.0.0",
                // EHLO; MAIL, 3 RCPT, DATA, content; MAIL, RCPT; RSET, MAIL, RCPT, DATA, content; QUIT
                "writes 15"), deliverTwice(Set.of("CHUNKING", "PIPELINING")));
    }
}
