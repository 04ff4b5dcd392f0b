package dev.petrel.smtp;

import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The server side of one SMTP session (RFC 5321), as a state machine without I/O: the connection hands it
 * lines and content, it answers with {@link Response}s. Policy and storage are reached only through
 * {@link SessionHooks}.
 */
public final class ServerSession {

    private final SessionSettings settings;
    private final SessionHooks hooks;
    private final RandomGenerator random;
    private final String clientAddress;

    private String helo;
    private boolean esmtp;
    private String tlsProtocol;
    private String tlsCipher;
    private String user;
    private int errors;
    private AuthDialogue auth;
    private Transaction transaction;
    private Chunk chunk;

    public ServerSession(SessionSettings settings, SessionHooks hooks, RandomGenerator random, String clientAddress) {
        this.settings = settings;
        this.hooks = hooks;
        this.random = random;
        this.clientAddress = clientAddress;
    }

    /** The state of one mail transaction, from MAIL to the end of DATA or the last BDAT. */
    private static final class Transaction {
        final ReversePath sender;
        final Parameters.Mail parameters;
        final List<Recipient> recipients = new ArrayList<>();
        int rcptAttempts;
        MessageBuffer content;
        DataDecoder decoder;
        boolean chunking;
        long chunkedSize;

        Transaction(ReversePath sender, Parameters.Mail parameters) {
            this.sender = sender;
            this.parameters = parameters;
        }
    }

    /** A connection made with TLS from the first byte (RFC 8314) starts with it in force. */
    public void tlsAlreadyActive(String protocol, String cipher) {
        this.tlsProtocol = protocol;
        this.tlsCipher = cipher;
    }

    public SessionInfo info() {
        return new SessionInfo(clientAddress, helo, esmtp, tlsProtocol, tlsCipher, user,
                transaction != null && transaction.parameters.smtpUtf8());
    }

    public Phase phase() {
        if (auth != null) {
            return Phase.AUTH;
        }
        if (chunk != null || (transaction != null && transaction.decoder != null)) {
            return Phase.DATA_BLOCK;
        }
        if (helo == null) {
            return Phase.HELO;
        }
        return transaction == null ? Phase.MAIL : Phase.RCPT;
    }

    /** RFC 5321 4.2: the greeting, or a refusal of the connection (421, 554). */
    public Response greet() {
        return switch (hooks.connect(info())) {
            case Decision.Accept a -> Response.of(Reply.plain(220, settings.hostname() + " ESMTP Petrel"));
            case Decision.Reject r -> Response.of(r.reply(), Response.Action.CLOSE);
            case Decision.Defer d -> Response.of(d.reply(), Response.Action.CLOSE);
        };
    }

    /** A command line, or a response inside an AUTH exchange, without its CRLF. */
    public Response onLine(byte[] line) {
        Response response = auth != null ? authResponse(line) : command(line);
        return countErrors(response);
    }

    /** The line was longer than the limit and was dropped. */
    public Response onLineTooLong() {
        if (auth != null) {
            // RFC 4954 4: a response longer than the buffer fails AUTH with 500, and SHOULD carry 5.5.6
            auth = null;
            return countErrors(Response.of(Reply.of(500, EnhancedStatus.AUTH_LINE_TOO_LONG,
                    "Authentication Exchange line is too long")));
        }
        return countErrors(Response.of(Reply.of(500, EnhancedStatus.SYNTAX_ERROR, "Line too long")));
    }

    /** No input came within the phase's timeout. */
    public Response onTimeout() {
        return Response.of(Reply.of(421, EnhancedStatus.BAD_CONNECTION, settings.hostname() + " Timeout exceeded, closing"),
                Response.Action.CLOSE);
    }

    /**
     * RFC 5321 3.8: the server is going down. Said to a client between transactions, then the connection closes;
     * a transaction in flight is let finish first.
     */
    public Response onShutdown() {
        return Response.of(Reply.of(421, EnhancedStatus.SYSTEM_NOT_ACCEPTING,
                settings.hostname() + " Service shutting down, closing transmission channel"), Response.Action.CLOSE);
    }

    private Response countErrors(Response response) {
        for (Reply reply : response.replies()) {
            // a client told to send its other recipients later (452 4.5.3) made no error
            boolean overshoot = EnhancedStatus.TOO_MANY_RECIPIENTS.equals(reply.status());
            if (reply.code() >= 400 && reply.code() != 421 && !overshoot) {
                errors++;
            }
        }
        if (errors >= settings.maxErrors() && response.action() == Response.Action.CONTINUE) {
            List<Reply> replies = new ArrayList<>(response.replies());
            replies.add(Reply.of(421, EnhancedStatus.SECURITY_TRANSIENT, settings.hostname() + " Too many errors, closing"));
            hooks.rejected(info(), "errors", replies.getLast());
            return new Response(replies, Response.Action.CLOSE);
        }
        return response;
    }

    private Response command(byte[] raw) {
        String line;
        try {
            line = CommandText.decode(raw);
        } catch (Refusal r) {
            return Response.of(r.reply());
        }
        Command command = CommandParser.parse(line);
        if (!CommandText.isAscii(line) && !(command instanceof Command.Mail) && !(command instanceof Command.Rcpt)) {
            // RFC 6531 3.3: only addresses may carry UTF-8, and only with SMTPUTF8
            return Response.of(Reply.of(500, EnhancedStatus.SYNTAX_ERROR, "8-bit characters not allowed in this command"));
        }
        return switch (command) {
            case Command.Ehlo e -> ehlo(e.domain());
            case Command.Helo h -> helo(h.domain());
            case Command.Mail m -> mail(m);
            case Command.Rcpt r -> rcpt(r);
            case Command.Data d -> data();
            case Command.Bdat b -> bdat(b);
            case Command.Rset r -> {
                transaction = null;
                yield Response.of(Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok"));
            }
            case Command.Noop n -> Response.of(Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok"));
            case Command.Quit q -> Response.of(Reply.of(221, EnhancedStatus.OTHER_UNDEFINED, settings.hostname() + " Bye"),
                    Response.Action.CLOSE);
            // RFC 5321 3.5.3: 252 when the server will not verify; users are never revealed
            case Command.Vrfy v -> Response.of(Reply.of(252, EnhancedStatus.PROTOCOL_OK,
                    "Cannot VRFY user, but will accept message and attempt delivery"));
            case Command.Expn x -> Response.of(Reply.of(502, EnhancedStatus.INVALID_COMMAND, "EXPN not available"));
            case Command.Help h -> Response.of(Reply.of(214, EnhancedStatus.OTHER_UNDEFINED,
                    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH"));
            case Command.StartTls s -> startTls();
            case Command.Auth a -> auth(a);
            case Command.ForeignProtocol f -> {
                hooks.rejected(info(), "connect", Reply.of(500, EnhancedStatus.INVALID_COMMAND, f.verb() + " on an SMTP port"));
                yield Response.none(Response.Action.CLOSE);
            }
            case Command.Unknown u -> Response.of(Reply.of(500, EnhancedStatus.INVALID_COMMAND, "Command unrecognized"));
            case Command.Invalid i -> Response.of(Reply.of(501, EnhancedStatus.INVALID_ARGUMENTS, i.problem()));
        };
    }

    // RFC 5321 4.1.1.1; RFC 5321 4.1.4: EHLO resets any transaction
    private Response ehlo(String domain) {
        helo = domain;
        esmtp = true;
        transaction = null;
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname() + " Hello " + domain);
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        if (tlsProtocol != null) {
            lines.add("REQUIRETLS"); // RFC 8689 2: offered only under TLS
        }
        lines.add("DSN");
        if (settings.startTls() && tlsProtocol == null) {
            lines.add("STARTTLS");
        }
        if (settings.authOffered() && tlsProtocol != null && user == null) {
            lines.add("AUTH " + AuthDialogue.MECHANISMS);
        }
        return Response.of(Reply.plain(250, lines.toArray(String[]::new)));
    }

    private Response helo(String domain) {
        helo = domain;
        esmtp = false;
        transaction = null;
        return Response.of(Reply.plain(250, settings.hostname()));
    }

    private Response mail(Command.Mail command) {
        try {
            transaction = startTransaction(command);
            return Response.of(Reply.of(250, EnhancedStatus.OTHER_ADDRESS_STATUS, "Ok"));
        } catch (Refusal r) {
            return Response.of(r.reply());
        }
    }

    private Transaction startTransaction(Command.Mail command) throws Refusal {
        if (helo == null) {
            throw new Refusal(503, EnhancedStatus.INVALID_COMMAND, "Send EHLO or HELO first");
        }
        if (transaction != null) {
            throw new Refusal(503, EnhancedStatus.INVALID_COMMAND, "Nested MAIL command");
        }
        if (settings.authRequired() && user == null) {
            // RFC 4954 6: 530 Authentication required
            throw new Refusal(530, EnhancedStatus.SECURITY_PERMANENT, "Authentication required");
        }
        Parameters.Mail parameters = Parameters.parseMail(command.parameters(), tlsProtocol != null);
        ReversePath sender = CommandText.parseReversePath(command.path(), parameters.smtpUtf8());
        if (parameters.size() > settings.maxMessageSize()) {
            // RFC 1870 6.1: 552 when the declared size exceeds the fixed maximum
            throw policyRefusal("mail", sender.toString(), null,
                    Reply.of(552, EnhancedStatus.MESSAGE_TOO_BIG, "Message size exceeds fixed maximum message size"));
        }
        Decision decision = hooks.mailFrom(info(), sender, parameters.size(), command.parameters());
        refuseUnlessAccepted(decision);
        return new Transaction(sender, parameters);
    }

    private Response rcpt(Command.Rcpt command) {
        if (transaction == null) {
            return Response.of(Reply.of(503, EnhancedStatus.INVALID_COMMAND, "Need MAIL before RCPT"));
        }
        if (transaction.chunking) {
            return Response.of(Reply.of(503, EnhancedStatus.INVALID_COMMAND, "RCPT not allowed after BDAT"));
        }
        transaction.rcptAttempts++;
        try {
            Recipient recipient = parseRecipient(command);
            if (transaction.recipients.size() >= settings.maxRecipients()) {
                // RFC 5321 4.5.3.1.10: 452 for recipients beyond the limit; the client sends them later
                throw policyRefusal("rcpt", transaction.sender.toString(), recipient.address().toString(),
                        Reply.of(452, EnhancedStatus.TOO_MANY_RECIPIENTS, "Too many recipients"));
            }
            refuseUnlessAccepted(hooks.rcptTo(info(), transaction.sender, recipient, command.parameters()));
            transaction.recipients.add(recipient);
            return Response.of(Reply.of(250, EnhancedStatus.DESTINATION_VALID, "Ok"));
        } catch (Refusal r) {
            return Response.of(r.reply());
        }
    }

    private Recipient parseRecipient(Command.Rcpt command) throws Refusal {
        Parameters.Rcpt parameters = Parameters.parseRcpt(command.parameters());
        String path = command.path();
        if (path.equalsIgnoreCase("postmaster")) {
            // RFC 5321 4.1.1.3: "<Postmaster>" without a domain must be accepted
            path = "postmaster@" + settings.hostname();
        }
        if (path.isEmpty()) {
            throw new Refusal(501, EnhancedStatus.BAD_DESTINATION_SYNTAX, "Bad recipient address syntax");
        }
        Address address = CommandText.parseMailbox(path, transaction.parameters.smtpUtf8(),
                EnhancedStatus.BAD_DESTINATION_SYNTAX, "recipient");
        return new Recipient(address, parameters.notifyOn(), parameters.orcpt());
    }

    private static void refuseUnlessAccepted(Decision decision) throws Refusal {
        if (decision instanceof Decision.Reject r) {
            throw asRefusal(r.reply());
        }
        if (decision instanceof Decision.Defer d) {
            throw asRefusal(d.reply());
        }
    }

    private Refusal policyRefusal(String stage, String from, String to, Reply reply) {
        hooks.rejected(info(), stage + (to == null ? "" : " to=" + to), reply);
        return asRefusal(reply);
    }

    private static Refusal asRefusal(Reply reply) {
        return new Refusal(reply.code(), reply.status(), String.join(" ", reply.lines()));
    }

    // RFC 5321 4.1.1.4 and 3.3: DATA needs a sender and at least one accepted recipient
    private Response data() {
        Reply refusal = transactionRefusal();
        if (refusal != null) {
            return Response.of(refusal);
        }
        if (transaction.chunking) {
            return Response.of(Reply.of(503, EnhancedStatus.INVALID_COMMAND, "DATA not allowed after BDAT"));
        }
        transaction.content = new MessageBuffer();
        transaction.decoder = new DataDecoder(settings.maxMessageSize(), transaction.content);
        return Response.of(Reply.plain(354, "End data with <CR><LF>.<CR><LF>"), Response.Action.READ_DATA);
    }

    private Reply transactionRefusal() {
        if (transaction == null) {
            return Reply.of(503, EnhancedStatus.INVALID_COMMAND, "Need MAIL command");
        }
        if (transaction.recipients.isEmpty()) {
            return transaction.rcptAttempts > 0
                    ? Reply.of(554, EnhancedStatus.INVALID_COMMAND, "No valid recipients")
                    : Reply.of(503, EnhancedStatus.INVALID_COMMAND, "Need RCPT command");
        }
        return null;
    }

    /** Message content after 354; returns how many octets it used (the rest are the next commands). */
    public int receiveData(byte[] buffer, int offset, int length) {
        return transaction.decoder.feed(buffer, offset, length);
    }

    /** True once the end of DATA was read. */
    public boolean dataComplete() {
        return transaction.decoder.isDone();
    }

    /** After the end of DATA: the message is queued or refused. */
    public Response finishData() {
        DataDecoder decoder = transaction.decoder;
        transaction.decoder = null;
        if (decoder.overflowed()) {
            return Response.of(tooBig());
        }
        return Response.of(deliver(transaction.content.toByteArray()));
    }

    private Reply tooBig() {
        Reply reply = Reply.of(552, EnhancedStatus.MESSAGE_TOO_BIG, "Message size exceeds fixed maximum message size");
        hooks.rejected(info(), "data", reply);
        transaction = null;
        return reply;
    }

    private Reply deliver(byte[] content) {
        Transaction t = transaction;
        SessionInfo session = info();
        transaction = null;
        Envelope envelope = new Envelope(t.sender, t.recipients, t.parameters.body(), t.parameters.smtpUtf8(),
                t.parameters.ret(), t.parameters.envid(), user, clientAddress, helo, t.parameters.requireTls());
        return hooks.deliver(session, envelope, content);
    }

    // RFC 3030 2: BDAT; the chunk is always read, even when the command is refused
    private Response bdat(Command.Bdat command) {
        Reply refusal = transactionRefusal();
        if (refusal == null && !transaction.chunking) {
            transaction.chunking = true;
            transaction.content = new MessageBuffer();
        }
        chunk = new Chunk(command.size(), command.last(), refusal);
        return command.size() == 0 ? finishChunk() : Response.none(Response.Action.READ_CHUNK);
    }

    /** Octets still to read for the current BDAT chunk. */
    public long pendingChunkSize() {
        return chunk == null ? 0 : chunk.remaining;
    }

    /** Part of a BDAT chunk; the connection passes exactly the announced number of octets in all. */
    public void receiveChunk(byte[] buffer, int offset, int length) {
        chunk.remaining -= length;
        if (chunk.refusal != null) {
            return;
        }
        transaction.chunkedSize += length;
        if (transaction.chunkedSize <= settings.maxMessageSize()) {
            transaction.content.write(buffer, offset, length);
        }
    }

    /** After a whole BDAT chunk was read. */
    public Response finishChunk() {
        Chunk done = chunk;
        chunk = null;
        if (done.refusal != null) {
            return countErrors(Response.of(done.refusal));
        }
        if (transaction.chunkedSize > settings.maxMessageSize()) {
            return countErrors(Response.of(tooBig()));
        }
        if (!done.last) {
            return Response.of(Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, transaction.chunkedSize + " octets received"));
        }
        return Response.of(deliver(LineEndings.normalize(transaction.content.toByteArray())));
    }

    // RFC 3207 4: STARTTLS
    private Response startTls() {
        if (!settings.startTls()) {
            return Response.of(Reply.of(502, EnhancedStatus.INVALID_COMMAND, "STARTTLS not available"));
        }
        if (tlsProtocol != null) {
            return Response.of(Reply.of(503, EnhancedStatus.INVALID_COMMAND, "TLS already active"));
        }
        if (transaction != null) {
            return Response.of(Reply.of(503, EnhancedStatus.INVALID_COMMAND, "STARTTLS not allowed during a mail transaction"));
        }
        return Response.of(Reply.of(220, EnhancedStatus.OTHER_UNDEFINED, "Ready to start TLS"), Response.Action.START_TLS);
    }

    /**
     * The TLS handshake after STARTTLS succeeded. RFC 3207 4.2: the server discards all knowledge from the
     * client obtained before, and the client starts again with EHLO.
     */
    public void tlsStarted(String protocol, String cipher) {
        tlsProtocol = protocol;
        tlsCipher = cipher;
        helo = null;
        esmtp = false;
        user = null;
        transaction = null;
        auth = null;
    }

    // RFC 4954 4: AUTH
    private Response auth(Command.Auth command) {
        Reply refusal = authRefusal();
        if (refusal != null) {
            return Response.of(refusal);
        }
        try {
            auth = AuthDialogue.start(command.mechanism(), hooks.authenticator(), random);
        } catch (Refusal r) {
            return Response.of(r.reply());
        }
        return authStep(auth.begin(command.initialResponse()));
    }

    private Reply authRefusal() {
        if (!settings.authOffered()) {
            return Reply.of(502, EnhancedStatus.INVALID_COMMAND, "AUTH not available on this port");
        }
        if (tlsProtocol == null) {
            // RFC 8314 and RFC 4954 4: credentials never cross the network in clear text
            return Reply.of(530, EnhancedStatus.SECURITY_PERMANENT, "Must issue a STARTTLS command first");
        }
        if (helo == null || !esmtp) {
            return Reply.of(503, EnhancedStatus.INVALID_COMMAND, "Send EHLO first");
        }
        if (user != null) {
            return Reply.of(503, EnhancedStatus.INVALID_COMMAND, "Already authenticated");
        }
        if (transaction != null) {
            return Reply.of(503, EnhancedStatus.INVALID_COMMAND, "AUTH not allowed during a mail transaction");
        }
        return null;
    }

    private Response authResponse(byte[] line) {
        return authStep(auth.respond(new String(line, StandardCharsets.US_ASCII).strip()));
    }

    private Response authStep(AuthDialogue.Step step) {
        return switch (step) {
            case AuthDialogue.Step.Challenge c -> Response.of(Reply.plain(334, c.text()));
            case AuthDialogue.Step.Success s -> {
                auth = null;
                user = s.username();
                yield Response.of(Reply.of(235, EnhancedStatus.SECURITY_OK, "Authentication successful"));
            }
            case AuthDialogue.Step.Failure f -> {
                auth = null;
                yield f.reply().isTransient() ? notNow(f.reply()) : authFailure(f.reply());
            }
        };
    }

    // a temporary failure is no wrong password: it is not counted against the client
    private Response notNow(Reply reply) {
        hooks.rejected(info(), "auth", reply);
        return Response.of(reply);
    }

    private Response authFailure(Reply reply) {
        hooks.rejected(info(), "auth", reply);
        return switch (hooks.authFailed(info())) {
            case Decision.Accept a -> Response.of(reply);
            case Decision.Reject r -> new Response(List.of(reply, r.reply()), Response.Action.CLOSE);
            case Decision.Defer d -> new Response(List.of(reply, d.reply()), Response.Action.CLOSE);
        };
    }

    /** A BDAT chunk being read, and the refusal to send once it is consumed. */
    private static final class Chunk {
        long remaining;
        final boolean last;
        final Reply refusal;

        Chunk(long size, boolean last, Reply refusal) {
            this.remaining = size;
            this.last = last;
            this.refusal = refusal;
        }
    }
}
