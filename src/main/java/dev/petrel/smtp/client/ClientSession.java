package dev.petrel.smtp.client;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The client side of one SMTP session (RFC 5321), as a state machine without I/O. The driver owns the socket:
 * it calls {@link #start()} once connected, passes each reply line to {@link #onLine}, and does what the returned
 * {@link Step} says. Each transaction ends with {@link Step.Ready} (the connection may carry another message:
 * {@link #newTransaction}) or {@link Step.Close}, both with one {@link RecipientOutcome} per recipient.
 *
 * <p>With PIPELINING (RFC 2920) MAIL, every RCPT and DATA (or the first BDAT) go in one write, and the replies are
 * taken in order; without it, one command at a time. {@link #phase()} tells which reply is awaited, for its timeout.
 */
public final class ClientSession {

    // RFC 3463 3.6: X.5.0 Other or undefined protocol status
    static final EnhancedStatus PROTOCOL_ERROR = new EnhancedStatus(4, 5, 0);
    // RFC 3463 3.8: X.7.4 Security features not supported; X.7.5 Cryptographic failure
    static final EnhancedStatus TLS_NOT_SUPPORTED = new EnhancedStatus(4, 7, 4);
    static final EnhancedStatus TLS_FAILED = new EnhancedStatus(4, 7, 5);

    // RFC 5321 3.2: a server that does not take EHLO answers 500, 501, 502 or 550 (504: a parameter it lacks); HELO then
    private static final Set<Integer> EHLO_NOT_SUPPORTED = Set.of(500, 501, 502, 504, 550);

    private final ClientSettings settings;
    private final ReplyParser parser = new ReplyParser();
    private final Deque<Expect> pending = new ArrayDeque<>();
    private Extensions extensions = Extensions.NONE;
    private boolean started;
    private boolean tlsActive;
    private boolean needsReset;
    private boolean quitting;
    private ClientPhase current = ClientPhase.GREETING;
    private Attempt attempt;
    private List<RecipientOutcome> closingOutcomes = List.of();
    private ClientPhase closingPhase = ClientPhase.QUIT;

    /** A reply the client waits for, in the order the commands were sent. */
    private enum Expect {
        GREETING(ClientPhase.GREETING), EHLO(ClientPhase.EHLO), HELO(ClientPhase.EHLO),
        STARTTLS(ClientPhase.STARTTLS), RSET(ClientPhase.MAIL), MAIL(ClientPhase.MAIL), RCPT(ClientPhase.RCPT),
        DATA(ClientPhase.DATA_INIT), END_OF_DATA(ClientPhase.FINAL_DOT), CHUNK(ClientPhase.DATA_BLOCK),
        LAST_CHUNK(ClientPhase.FINAL_DOT), QUIT(ClientPhase.QUIT);

        final ClientPhase phase;

        Expect(ClientPhase phase) {
            this.phase = phase;
        }
    }

    /** A session that will carry {@code first} once the server has greeted it. */
    public ClientSession(ClientSettings settings, Transaction first) {
        this.settings = settings;
        this.attempt = new Attempt(first);
    }

    /** The connection is open: wait for the greeting (RFC 5321 3.1). */
    public Step start() {
        if (started) {
            throw new IllegalStateException("the session has started");
        }
        started = true;
        pending.add(Expect.GREETING);
        return new Step.Read();
    }

    /** The reply awaited now, or the state between replies: what the driver times. */
    public ClientPhase phase() {
        return pending.isEmpty() ? current : pending.peek().phase;
    }

    /** What the server listed in its last EHLO reply; none after HELO or right after TLS. */
    public Extensions extensions() {
        return extensions;
    }

    public boolean tlsActive() {
        return tlsActive;
    }

    /** One reply line as read from the server, without its CRLF. */
    public Step onLine(String line) {
        if (current == ClientPhase.CLOSED || !started) {
            throw new IllegalStateException("no reply is expected in phase " + phase());
        }
        return switch (parser.feed(line)) {
            case ReplyParser.Parsed.Partial p -> new Step.Read();
            case ReplyParser.Parsed.Malformed m -> {
                current = phase();
                yield abort(protocolError(m.problem()));
            }
            case ReplyParser.Parsed.Complete c -> onReply(c.reply());
        };
    }

    /** One reply line as octets; the text is taken as UTF-8 (RFC 6531 allows it after SMTPUTF8). */
    public Step onLine(byte[] line) {
        return onLine(new String(line, StandardCharsets.UTF_8));
    }

    /** The driver's timeout for the current phase expired: the session ends, the recipients not yet decided wait. */
    public Step onTimeout() {
        current = phase();
        return abort(Reply.of(421, EnhancedStatus.BAD_CONNECTION, "Timeout waiting for the server in phase " + phase()));
    }

    /** The connection dropped or could not be written or read. */
    public Step onConnectionLost() {
        current = phase();
        return abort(Reply.of(421, EnhancedStatus.BAD_CONNECTION, "Lost connection with the server in phase " + phase()));
    }

    /** After {@link Step.StartTls}: the handshake succeeded. */
    public Step tlsStarted() {
        requirePhase(ClientPhase.TLS_HANDSHAKE);
        tlsActive = true;
        // RFC 3207 4.2: the client discards what it knew of the server and sends EHLO again
        extensions = Extensions.NONE;
        return hello(Expect.EHLO);
    }

    /** After {@link Step.StartTls}: the handshake failed; the connection cannot be used any more. */
    public Step tlsFailed() {
        requirePhase(ClientPhase.TLS_HANDSHAKE);
        if (settings.tls() == TlsPolicy.OPPORTUNISTIC && !tlsRequired()) {
            current = ClientPhase.CLOSED;
            return new Step.RetryWithoutTls();
        }
        return abort(tlsRequired()
                ? RequireTls.refusal("the TLS handshake failed, or the certificate was not authenticated")
                : Reply.of(454, TLS_FAILED, "TLS is required, but the TLS handshake failed"));
    }

    /** After {@link Step.Ready}: another message on the same connection (no RSET is needed after a completed one). */
    public Step newTransaction(Transaction transaction) {
        requirePhase(ClientPhase.READY);
        attempt = new Attempt(transaction);
        return beginTransaction();
    }

    /** After {@link Step.Ready}: end the session (RFC 5321 4.1.1.10). */
    public Step quit() {
        requirePhase(ClientPhase.READY);
        return quitWith(List.of(), ClientPhase.QUIT);
    }

    private void requirePhase(ClientPhase wanted) {
        if (phase() != wanted || current == ClientPhase.CLOSED) {
            throw new IllegalStateException("expected phase " + wanted + ", not " + phase());
        }
    }

    private Step onReply(Reply reply) {
        Expect expect = pending.poll();
        if (expect == null) {
            return reply.code() == 421 ? abort(reply) : abort(protocolError("reply to no command: " + reply.summary()));
        }
        current = expect.phase;
        if (expect == Expect.QUIT) {
            return close();
        }
        if (reply.code() == 421) {
            // RFC 5321 3.8: the server is closing the channel; nothing more is sent
            return abort(reply);
        }
        if (reply.code() / 100 == 3 && expect != Expect.DATA) {
            return abort(protocolError("intermediate reply where none is expected: " + reply.summary()));
        }
        return switch (expect) {
            case GREETING -> greeting(reply);
            case EHLO -> ehloReply(reply);
            case HELO -> heloReply(reply);
            case STARTTLS -> startTlsReply(reply);
            case RSET -> resetReply(reply);
            case MAIL -> mailReply(reply);
            case RCPT -> rcptReply(reply);
            case DATA -> dataReply(reply);
            case END_OF_DATA -> endOfData(reply);
            case CHUNK, LAST_CHUNK -> chunkReply(reply, expect == Expect.LAST_CHUNK);
            case QUIT -> close();
        };
    }

    // RFC 5321 3.1: 220 opens the session; 554 (or any refusal but 421) waits for QUIT
    private Step greeting(Reply reply) {
        if (reply.code() == 220) {
            return hello(Expect.EHLO);
        }
        if (reply.code() / 100 == 2) {
            return abort(protocolError("greeting is not 220: " + reply.summary()));
        }
        return fail(reply);
    }

    // RFC 2033 4.1: an LMTP client says LHLO where an SMTP client says EHLO
    private Step hello(Expect which) {
        String verb = which == Expect.HELO ? "HELO " : settings.lmtp() ? "LHLO " : "EHLO ";
        return batch().command(which, verb + settings.heloName()).send();
    }

    private Step ehloReply(Reply reply) {
        if (reply.code() / 100 == 2) {
            extensions = Extensions.parse(reply);
            return afterHello();
        }
        if (EHLO_NOT_SUPPORTED.contains(reply.code()) && !settings.lmtp()) {
            return hello(Expect.HELO);
        }
        return fail(reply);
    }

    private Step heloReply(Reply reply) {
        if (reply.code() / 100 != 2) {
            return fail(reply);
        }
        extensions = Extensions.NONE;
        return afterHello();
    }

    private Step afterHello() {
        if (tlsRequired()) {
            Reply unmet = tlsActive ? RequireTls.afterTls(settings.tls(), true, extensions)
                    : RequireTls.beforeTls(settings.tls(), extensions);
            if (unmet != null) {
                return fail(unmet);
            }
        }
        if (tlsActive || settings.tls() == TlsPolicy.NONE) {
            return beginTransaction();
        }
        if (extensions.startTls()) {
            return batch().command(Expect.STARTTLS, "STARTTLS").send();
        }
        if (settings.tls() == TlsPolicy.REQUIRE) {
            // RFC 3207 names no status for this; X.7.4 "Security features not supported" says it, as Postfix does
            return fail(Reply.of(454, TLS_NOT_SUPPORTED, "TLS is required, but was not offered by the server"));
        }
        return beginTransaction();
    }

    // RFC 3207 4: 220 Ready to start TLS; 454 TLS not available due to temporary reason
    private Step startTlsReply(Reply reply) {
        if (reply.code() == 220) {
            current = ClientPhase.TLS_HANDSHAKE;
            return new Step.StartTls();
        }
        if (tlsRequired()) {
            return fail(RequireTls.refusal("the server refused STARTTLS: " + reply.summary()));
        }
        if (settings.tls() == TlsPolicy.REQUIRE) {
            return fail(Reply.of(454, TLS_NOT_SUPPORTED, "TLS is required, but the server refused STARTTLS: "
                    + reply.summary()));
        }
        // RFC 7435 and RFC 3207 4.1: the session goes on in cleartext, with the extensions already known
        return beginTransaction();
    }

    private boolean tlsRequired() {
        return attempt != null && attempt.transaction().tlsRequired();
    }

    private Step beginTransaction() {
        current = ClientPhase.MAIL;
        Reply refusal = refusalBeforeMail();
        if (refusal != null) {
            // nothing was sent: the connection stays usable for the next message
            return finish(refusal);
        }
        Batch batch = batch();
        if (needsReset) {
            needsReset = false;
            batch.command(Expect.RSET, "RSET");
            if (!extensions.pipelining()) {
                return batch.send();
            }
        }
        return sendMail(batch);
    }

    private Reply refusalBeforeMail() {
        long size = attempt.size();
        if (extensions.maxSize() > 0 && size > extensions.maxSize()) {
            // RFC 1870 6: a client does not send a message larger than the server's fixed maximum
            return Reply.of(552, EnhancedStatus.MESSAGE_TOO_BIG, "Message size " + size
                    + " exceeds the remote server's limit of " + extensions.maxSize());
        }
        if (tlsRequired()) {
            // a reused connection: RFC 8689 4.2.1 holds for each message
            Reply unmet = RequireTls.afterTls(settings.tls(), tlsActive, extensions);
            if (unmet != null) {
                return unmet;
            }
        }
        if (attempt.transaction().needsSmtpUtf8() && !extensions.smtpUtf8()) {
            // RFC 6531 3.2: a message that needs SMTPUTF8 is not sent to a server without it, but returned
            return Reply.of(553, EnhancedStatus.NON_ASCII_NOT_PERMITTED,
                    "SMTPUTF8 is required, but was not offered by the server");
        }
        return null;
    }

    // RFC 2920 3.1: MAIL, RCPT and DATA (or BDAT) may go in one group; DATA ends it
    private Step sendMail(Batch batch) {
        batch.command(Expect.MAIL, Commands.mail(attempt.transaction(), attempt.size(), extensions));
        if (!extensions.pipelining()) {
            return batch.send();
        }
        while (attempt.hasUnsentRecipient()) {
            batch.command(Expect.RCPT, Commands.rcpt(attempt.nextRecipient(), extensions));
        }
        return startData(batch).send();
    }

    private Step resetReply(Reply reply) {
        if (reply.code() / 100 != 2) {
            // RSET must succeed (RFC 5321 4.1.1.5); after a failed one the state of the server is unknown
            return abort(protocolError("RSET refused: " + reply.summary()));
        }
        return pending.isEmpty() ? sendMail(batch()) : new Step.Read();
    }

    private Step mailReply(Reply reply) {
        attempt.mailAnswered(reply);
        if (!pending.isEmpty()) {
            return new Step.Read();
        }
        if (reply.code() / 100 != 2) {
            return finish(reply);
        }
        return batch().command(Expect.RCPT, Commands.rcpt(attempt.nextRecipient(), extensions)).send();
    }

    private Step rcptReply(Reply reply) {
        attempt.rcptAnswered(reply);
        if (!pending.isEmpty()) {
            return new Step.Read();
        }
        if (attempt.hasUnsentRecipient()) {
            return batch().command(Expect.RCPT, Commands.rcpt(attempt.nextRecipient(), extensions)).send();
        }
        if (attempt.accepted() == 0) {
            // RFC 5321 3.3: no DATA without an accepted recipient; RSET before the next MAIL
            needsReset = true;
            return finish(reply);
        }
        return startData(batch()).send();
    }

    private Batch startData(Batch batch) {
        // LMTP's per-recipient replies after BDAT LAST (RFC 3030 4.3) are not worth a second path: DATA it is
        if (extensions.chunking() && !settings.lmtp()) {
            return nextChunk(batch);
        }
        return batch.command(Expect.DATA, "DATA");
    }

    // RFC 3030 2: BDAT chunk-size [ SP end-marker ], then exactly that many octets, not dot-stuffed
    private Batch nextChunk(Batch batch) {
        byte[] chunk = attempt.nextChunk(settings.chunkSize());
        boolean last = attempt.allChunksSent();
        batch.command(last ? Expect.LAST_CHUNK : Expect.CHUNK, "BDAT " + chunk.length + (last ? " LAST" : ""));
        return batch.content(chunk);
    }

    private Step dataReply(Reply reply) {
        if (reply.code() == 354) {
            if (attempt.accepted() == 0) {
                // RFC 2920 3.1: DATA was accepted though no recipient was: send a single dot
                return batch().expect(Expect.END_OF_DATA).content(".\r\n".getBytes(StandardCharsets.US_ASCII)).send();
            }
            Batch batch = batch().expect(Expect.END_OF_DATA);
            if (settings.lmtp()) {
                // RFC 2033 4.2: one reply per accepted recipient
                for (int i = 1; i < attempt.accepted(); i++) {
                    batch.expect(Expect.END_OF_DATA);
                }
            }
            return batch.content(attempt.dotStuffed()).send();
        }
        if (reply.code() / 100 != 4 && reply.code() / 100 != 5) {
            return abort(protocolError("DATA answered without 354: " + reply.summary()));
        }
        // RFC 2920 3.1: with no accepted recipient the server refuses the pipelined DATA (503, 554)
        needsReset = attempt.mailAccepted();
        return finish(reply);
    }

    private Step chunkReply(Reply reply, boolean last) {
        if (reply.code() / 100 != 2 || attempt.accepted() == 0) {
            // RFC 3030 2: after a refused BDAT no more chunks are sent; the transaction is reset before the next
            needsReset = true;
            return finish(reply);
        }
        if (last) {
            return finish(reply);
        }
        return nextChunk(batch()).send();
    }

    private Step endOfData(Reply reply) {
        if (settings.lmtp() && attempt.accepted() > 0 && !attempt.finalAnswered(reply)) {
            return new Step.Read();
        }
        return finish(reply);
    }

    /** The transaction is over; the connection stays open for the next. */
    private Step finish(Reply last) {
        List<RecipientOutcome> outcomes = attempt.outcomes(last);
        attempt = null;
        current = ClientPhase.READY;
        return new Step.Ready(outcomes);
    }

    /** The session cannot go on, but the server is still listening: QUIT, then close with the outcomes. */
    private Step fail(Reply reply) {
        List<RecipientOutcome> outcomes = attempt == null ? List.of() : attempt.outcomes(reply);
        attempt = null;
        return quitWith(outcomes, current);
    }

    private Step quitWith(List<RecipientOutcome> outcomes, ClientPhase phase) {
        quitting = true;
        closingOutcomes = outcomes;
        closingPhase = phase;
        return batch().command(Expect.QUIT, "QUIT").send();
    }

    /** The session cannot go on in the {@code current} phase and nothing more is sent: close at once. */
    private Step abort(Reply reply) {
        if (quitting) {
            return close();
        }
        List<RecipientOutcome> outcomes = attempt == null ? List.of() : attempt.outcomes(reply);
        attempt = null;
        closingOutcomes = outcomes;
        closingPhase = current;
        return close();
    }

    private Step close() {
        pending.clear();
        current = ClientPhase.CLOSED;
        return new Step.Close(closingOutcomes, closingPhase);
    }

    private static Reply protocolError(String problem) {
        return Reply.of(451, PROTOCOL_ERROR, "Protocol error: " + problem);
    }

    private Batch batch() {
        return new Batch();
    }

    /** Commands and content written together; each command's reply is awaited in order. */
    private final class Batch {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private ClientPhase writePhase = ClientPhase.MAIL;

        Batch command(Expect expect, String line) {
            bytes.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            return expect(expect);
        }

        Batch expect(Expect expect) {
            pending.add(expect);
            if (writePhase != ClientPhase.DATA_BLOCK) {
                writePhase = expect.phase;
            }
            return this;
        }

        Batch content(byte[] data) {
            bytes.writeBytes(data);
            writePhase = ClientPhase.DATA_BLOCK;
            return this;
        }

        Step send() {
            return new Step.Send(bytes.toByteArray(), writePhase);
        }
    }
}
