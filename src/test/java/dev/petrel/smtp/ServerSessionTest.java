package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Decision;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSessionTest {

    // port 25: STARTTLS, no AUTH, three recipients at most, 1000 octets at most
    private static final SessionSettings MX = new SessionSettings("mx.test", true, false, false, 1000, 3, 10);
    // port 587: STARTTLS, then AUTH, which MAIL needs
    private static final SessionSettings SUBMISSION = new SessionSettings("mx.test", true, true, true, 1000, 100, 10);

    private final RecordingHooks hooks = new RecordingHooks();
    private ServerSession session;

    private void open(SessionSettings settings) {
        session = new ServerSession(settings, hooks, new Random(3), "192.0.2.1");
        Response greeting = session.greet();
        assertEquals("220 mx.test ESMTP Petrel", greeting.replies().getFirst().toString());
        assertEquals(Response.Action.CONTINUE, greeting.action());
    }

    private Response send(String line) {
        return session.onLine(line.getBytes(StandardCharsets.UTF_8));
    }

    private static Reply last(Response response) {
        return response.replies().getLast();
    }

    private static void assertReply(Response response, int code, String status) {
        Reply reply = last(response);
        assertEquals(code, reply.code(), reply::toString);
        assertEquals(status, String.valueOf(reply.status()), reply::toString);
    }

    private void ok(String line) {
        Response response = send(line);
        assertTrue(last(response).isPositive(), () -> line + " -> " + last(response));
    }

    /** EHLO, MAIL and one RCPT on the MX port. */
    private void transaction(String mailParameters) {
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<sender@remote.test>" + mailParameters);
        ok("RCPT TO:<user@mx.test>");
    }

    private Response data(String content) {
        Response go = send("DATA");
        assertReply(go, 354, "null");
        assertEquals(Response.Action.READ_DATA, go.action());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertEquals(bytes.length, session.receiveData(bytes, 0, bytes.length));
        assertTrue(session.dataComplete());
        return session.finishData();
    }

    private Response bdat(String command, String chunk) {
        Response response = send(command);
        if (response.action() != Response.Action.READ_CHUNK) {
            return response;
        }
        assertTrue(response.replies().isEmpty(), "no reply before the chunk is read");
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        assertEquals(bytes.length, session.pendingChunkSize());
        assertEquals(Phase.DATA_BLOCK, session.phase());
        // the connection may hand the chunk over in pieces
        int half = bytes.length / 2;
        session.receiveChunk(bytes, 0, half);
        session.receiveChunk(bytes, half, bytes.length - half);
        assertEquals(0, session.pendingChunkSize());
        return session.finishChunk();
    }

    private String deliveredContent() {
        return new String(hooks.deliveries.getLast().content(), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Submission port after STARTTLS and EHLO. */
    private void openSubmissionWithTls() {
        open(SUBMISSION);
        ok("EHLO client.test");
        Response starttls = send("STARTTLS");
        assertReply(starttls, 220, "2.0.0");
        assertEquals(Response.Action.START_TLS, starttls.action());
        session.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        ok("EHLO client.test");
    }

    // the greeting and the order of commands

    @Test
    void aRefusedConnectionGetsTheRefusalAndIsClosed() {
        hooks.onConnect = Decision.defer(421, EnhancedStatus.SECURITY_TRANSIENT, "Too many connections");
        session = new ServerSession(MX, hooks, new Random(1), "192.0.2.1");
        Response greeting = session.greet();
        assertReply(greeting, 421, "4.7.0");
        assertEquals(Response.Action.CLOSE, greeting.action());
    }

    @Test
    void ehloListsTheExtensions() {
        open(MX);
        Reply reply = last(send("EHLO client.test"));
        assertEquals(250, reply.code());
        assertNull(reply.status());
        assertEquals(List.of("mx.test Hello client.test", "PIPELINING", "SIZE 1000", "8BITMIME", "ENHANCEDSTATUSCODES",
                "SMTPUTF8", "CHUNKING", "DSN", "STARTTLS"), reply.lines());
    }

    @Test
    void heloAnswersWithTheHostnameOnly() {
        open(MX);
        assertEquals("250 mx.test", last(send("HELO client.test")).toString());
        assertFalse(session.info().esmtp());
        assertEquals("client.test", session.info().helo());
    }

    @Test
    void mailBeforeEhloIsRefusedWith503() {
        open(MX);
        assertReply(send("MAIL FROM:<a@remote.test>"), 503, "5.5.1");
    }

    @Test
    void rcptBeforeMailIsRefusedWith503() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("RCPT TO:<user@mx.test>"), 503, "5.5.1");
    }

    @Test
    void dataWithoutRecipientsIsRefusedWith503() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("DATA"), 503, "5.5.1");
        ok("MAIL FROM:<a@remote.test>");
        assertReply(send("DATA"), 503, "5.5.1");
    }

    @Test
    void dataAfterEveryRecipientWasRejectedIsRefusedWith554() {
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<a@remote.test>");
        assertReply(send("RCPT TO:<unknown1@mx.test>"), 550, "5.1.1");
        assertReply(send("RCPT TO:<later@mx.test>"), 450, "4.2.0");
        assertReply(send("DATA"), 554, "5.5.1");
        assertTrue(hooks.deliveries.isEmpty());
    }

    @Test
    void aSecondMailInOneTransactionIsRefusedWith503() {
        transaction("");
        assertReply(send("MAIL FROM:<other@remote.test>"), 503, "5.5.1");
    }

    @Test
    void rsetEndsTheTransaction() {
        transaction("");
        assertReply(send("RSET"), 250, "2.0.0");
        assertEquals(Phase.MAIL, session.phase());
        assertReply(send("RCPT TO:<user@mx.test>"), 503, "5.5.1");
        ok("MAIL FROM:<other@remote.test>");
    }

    @Test
    void ehloEndsTheTransaction() {
        // RFC 5321 4.1.4: EHLO in a transaction resets it as RSET does
        transaction("");
        ok("EHLO client.test");
        assertReply(send("DATA"), 503, "5.5.1");
        ok("MAIL FROM:<other@remote.test>");
    }

    @Test
    void phaseFollowsTheTransaction() {
        open(MX);
        assertEquals(Phase.HELO, session.phase());
        ok("EHLO client.test");
        assertEquals(Phase.MAIL, session.phase());
        ok("MAIL FROM:<a@remote.test>");
        assertEquals(Phase.RCPT, session.phase());
        ok("RCPT TO:<user@mx.test>");
        assertEquals(Phase.RCPT, session.phase());
        send("DATA");
        assertEquals(Phase.DATA_BLOCK, session.phase());
        byte[] end = ".\r\n".getBytes(StandardCharsets.US_ASCII);
        session.receiveData(end, 0, end.length);
        session.finishData();
        assertEquals(Phase.MAIL, session.phase());
    }

    // AUTH and TLS

    @Test
    void authIsNotAvailableOnTheMxPort() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 502, "5.5.1");
    }

    @Test
    void authBeforeTlsIsRefusedWith530() {
        open(SUBMISSION);
        Reply ehlo = last(send("EHLO client.test"));
        assertTrue(ehlo.lines().contains("STARTTLS"));
        assertTrue(ehlo.lines().stream().noneMatch(l -> l.startsWith("AUTH")), "no AUTH without TLS");
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 530, "5.7.0");
        assertTrue(hooks.authenticator.askedFor.isEmpty(), "credentials sent in clear are not even looked at");
    }

    @Test
    void submissionRefusesMailWithoutAuthWith530() {
        open(SUBMISSION);
        ok("EHLO client.test");
        assertReply(send("MAIL FROM:<alice@example.com>"), 530, "5.7.0");
    }

    @Test
    void startTlsResetsTheSessionAndThenOffersAuthInsteadOfStartTls() {
        open(SUBMISSION);
        ok("EHLO client.test");
        Response starttls = send("STARTTLS");
        assertEquals(Response.Action.START_TLS, starttls.action());
        session.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        // RFC 3207 4.2: what the client said before TLS is forgotten, EHLO comes again
        assertEquals(Phase.HELO, session.phase());
        assertNull(session.info().helo());
        assertReply(send("MAIL FROM:<alice@example.com>"), 503, "5.5.1");
        List<String> extensions = last(send("EHLO client.test")).lines();
        assertFalse(extensions.contains("STARTTLS"));
        assertTrue(extensions.contains("AUTH PLAIN LOGIN SCRAM-SHA-256"), extensions::toString);
        assertTrue(session.info().tls());
        assertReply(send("STARTTLS"), 503, "5.5.1");
    }

    @Test
    void startTlsIsRefusedWhenNotOfferedOrInATransaction() {
        open(new SessionSettings("mx.test", false, false, false, 1000, 3, 10));
        assertFalse(last(send("EHLO client.test")).lines().contains("STARTTLS"));
        assertReply(send("STARTTLS"), 502, "5.5.1");
        transaction("");
        assertReply(send("STARTTLS"), 503, "5.5.1");
    }

    @Test
    void implicitTlsOffersAuthAtOnce() {
        session = new ServerSession(SUBMISSION, hooks, new Random(1), "192.0.2.1");
        session.tlsAlreadyActive("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        session.greet();
        List<String> extensions = last(send("EHLO client.test")).lines();
        assertFalse(extensions.contains("STARTTLS"));
        assertTrue(extensions.contains("AUTH PLAIN LOGIN SCRAM-SHA-256"));
    }

    @Test
    void authPlainThenMailSucceedsAndTheUserIsInTheEnvelope() {
        openSubmissionWithTls();
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 235, "2.7.0");
        assertEquals("alice@example.com", session.info().user());
        assertEquals("ESMTPSA", session.info().protocol());
        // once authenticated, AUTH is neither offered nor allowed again
        assertTrue(last(send("EHLO client.test")).lines().stream().noneMatch(l -> l.startsWith("AUTH")));
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 503, "5.5.1");
        ok("MAIL FROM:<alice@example.com>");
        ok("RCPT TO:<friend@remote.test>");
        data("Subject: hi\r\n\r\nhello\r\n.\r\n");
        Envelope envelope = hooks.deliveries.getLast().envelope();
        assertEquals("alice@example.com", envelope.authenticatedUser());
        assertEquals("TLSv1.3", hooks.deliveries.getLast().session().tlsProtocol());
    }

    @Test
    void authLoginRunsOverSeveralLinesInTheAuthPhase() {
        openSubmissionWithTls();
        Response username = send("AUTH LOGIN");
        assertEquals("334 VXNlcm5hbWU6", last(username).toString());
        assertEquals(Phase.AUTH, session.phase());
        assertEquals("334 UGFzc3dvcmQ6", last(send(b64("alice@example.com"))).toString());
        assertReply(send(b64("secret")), 235, "2.7.0");
        assertEquals(Phase.MAIL, session.phase());
    }

    @Test
    void authScramRunsThroughTheSession() {
        openSubmissionWithTls();
        ScramClient client = new ScramClient("alice@example.com", "secret", "sessionnonce");
        Reply first = last(send("AUTH SCRAM-SHA-256 " + b64(client.clientFirst())));
        assertEquals(334, first.code());
        String serverFirst = new String(Base64.getDecoder().decode(first.lines().getFirst()), StandardCharsets.UTF_8);
        Reply last = last(send(b64(client.clientFinal(serverFirst))));
        assertEquals(334, last.code());
        assertTrue(client.serverFinalIsGenuine(new String(Base64.getDecoder().decode(last.lines().getFirst()),
                StandardCharsets.UTF_8)));
        assertReply(send(""), 235, "2.7.0");
    }

    @Test
    void anAccountStoreThatCannotBeReachedIs454AndNoWrongPassword() {
        // RFC 4954 6: 454 4.7.0 Temporary authentication failure; the client tries later, with the same password
        openSubmissionWithTls();
        hooks.authenticator.away = true;
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 454, "4.7.0");
        ScramClient client = new ScramClient("alice@example.com", "secret", "sessionnonce");
        assertReply(send("AUTH SCRAM-SHA-256 " + b64(client.clientFirst())), 454, "4.7.0");
        assertEquals(0, hooks.authFailures, "not counted against the client");
        assertEquals("auth", hooks.rejections.getLast().stage());
        hooks.authenticator.away = false;
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 235, "2.7.0");
    }

    @Test
    void authCancelledWithAnAsteriskGets501AndCountsAsAFailure() {
        openSubmissionWithTls();
        send("AUTH PLAIN");
        assertReply(send("*"), 501, "5.5.2");
        assertEquals(1, hooks.authFailures);
        assertEquals(Phase.MAIL, session.phase());
    }

    @Test
    void failedAuthGets535AndTheHookMayCloseTheSession() {
        openSubmissionWithTls();
        Response first = send("AUTH PLAIN " + b64("\0alice@example.com\0wrong"));
        assertReply(first, 535, "5.7.8");
        assertEquals(Response.Action.CONTINUE, first.action());
        assertEquals("auth", hooks.rejections.getLast().stage());
        hooks.onAuthFailure = Decision.defer(421, EnhancedStatus.SECURITY_TRANSIENT, "Too many failures");
        Response second = send("AUTH PLAIN " + b64("\0alice@example.com\0wrong again"));
        assertEquals(List.of(535, 421), second.replies().stream().map(Reply::code).toList());
        assertEquals(Response.Action.CLOSE, second.action());
        assertNull(session.info().user());
    }

    @Test
    void authAfterHeloIsRefused() {
        open(SUBMISSION);
        session.tlsAlreadyActive("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        ok("HELO client.test");
        assertReply(send("AUTH PLAIN " + b64("\0alice@example.com\0secret")), 503, "5.5.1");
    }

    @Test
    void aLineTooLongInsideAuthEndsTheExchangeWith500() {
        // RFC 4954 4: 500 5.5.6 Authentication Exchange line is too long
        openSubmissionWithTls();
        send("AUTH PLAIN");
        assertEquals(Phase.AUTH, session.phase());
        assertReply(session.onLineTooLong(), 500, "5.5.6");
        assertEquals(Phase.MAIL, session.phase());
        // the next line is a command again, not an AUTH response
        assertReply(send("NOOP"), 250, "2.0.0");
    }

    @Test
    void unknownAuthMechanismIsRefusedWith504() {
        openSubmissionWithTls();
        assertReply(send("AUTH CRAM-MD5"), 504, "5.5.4");
        assertEquals(Phase.MAIL, session.phase());
    }

    // what lines may contain

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # RFC 6531 3.3: UTF-8 only in addresses
            EHLO café.example
            NOOP é
            HELP ü
            VRFY jösé
            """)
    void eightBitOutsideAddressesIsRefusedWith500(String line) {
        open(MX);
        assertReply(send(line), 500, "5.5.2");
    }

    @Test
    void aNulOctetIsRefusedWith500() {
        open(MX);
        assertReply(session.onLine("NOOP\0".getBytes(StandardCharsets.US_ASCII)), 500, "5.5.2");
    }

    @Test
    void invalidUtf8IsRefusedWith500() {
        open(MX);
        assertReply(session.onLine(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xC3, (byte) 0x28}), 500, "5.5.2");
    }

    @Test
    void aNonAsciiAddressWithoutSmtputf8IsRefusedWith553() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("MAIL FROM:<jösé@remote.test>"), 553, "5.6.7");
        ok("MAIL FROM:<sender@remote.test>");
        assertReply(send("RCPT TO:<ü@mx.test>"), 553, "5.6.7");
    }

    @Test
    void aNonAsciiAddressWithSmtputf8IsAccepted() {
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<jösé@bücher.example> SMTPUTF8");
        assertTrue(session.info().utf8());
        assertEquals("UTF8SMTP", session.info().protocol());
        ok("RCPT TO:<ü@mx.test>");
        data("Subject: grüße\r\n\r\n.\r\n");
        Envelope envelope = hooks.deliveries.getLast().envelope();
        assertTrue(envelope.smtpUtf8());
        assertEquals(Address.of("jösé@xn--bcher-kva.example"), envelope.reversePath().address());
        assertEquals("ü", envelope.recipients().getFirst().address().localPart());
    }

    @Test
    void aLineTooLongIsRefusedWith500() {
        open(MX);
        assertReply(session.onLineTooLong(), 500, "5.5.2");
    }

    @Test
    void unknownCommandsGet500AndBadArgumentsGet501() {
        open(MX);
        assertReply(send("FOO"), 500, "5.5.1");
        assertReply(send("EHLO"), 501, "5.5.4");
        assertReply(send("MAIL FROM:a@b.example"), 501, "5.5.4");
    }

    // addresses and parameters

    @Test
    void badAddressesAreRefusedWith501() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("MAIL FROM:<not an address>"), 501, "5.1.7");
        assertReply(send("MAIL FROM:<" + "a".repeat(250) + "@remote.test>"), 501, "5.1.7");
        ok("MAIL FROM:<sender@remote.test>");
        assertReply(send("RCPT TO:<>"), 501, "5.1.3");
        assertReply(send("RCPT TO:<us..er@mx.test>"), 501, "5.1.3");
    }

    @Test
    void theNullReversePathIsAccepted() {
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<>");
        ok("RCPT TO:<user@mx.test>");
        data(".\r\n");
        assertTrue(hooks.deliveries.getLast().envelope().reversePath().isNull());
    }

    @Test
    void postmasterWithoutDomainIsPostmasterAtTheHostname() {
        // RFC 5321 4.1.1.3: "<Postmaster>" must be accepted
        transaction("");
        ok("RCPT TO:<Postmaster>");
        data(".\r\n");
        assertEquals(Address.of("postmaster@mx.test"),
                hooks.deliveries.getLast().envelope().recipients().get(1).address());
    }

    @Test
    void aSourceRouteIsIgnored() {
        // RFC 5321 C: accept the route, deliver to the mailbox
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<@relay.example,@other.example:sender@remote.test>");
        ok("RCPT TO:<@relay.example:user@mx.test>");
        data(".\r\n");
        Envelope envelope = hooks.deliveries.getLast().envelope();
        assertEquals(Address.of("sender@remote.test"), envelope.reversePath().address());
        assertEquals(Address.of("user@mx.test"), envelope.recipients().getFirst().address());
    }

    @Test
    void dsnAndBodyParametersReachTheEnvelope() {
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<sender@remote.test> BODY=8BITMIME RET=HDRS ENVID=QQ+2B1 SIZE=20");
        ok("RCPT TO:<user@mx.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;user+40mx.test");
        ok("RCPT TO:<other@mx.test> NOTIFY=NEVER");
        data("Subject: x\r\n\r\n.\r\n");
        Envelope envelope = hooks.deliveries.getLast().envelope();
        assertEquals(Envelope.BodyType.EIGHT_BIT_MIME, envelope.bodyType());
        assertEquals(Envelope.Ret.HDRS, envelope.ret());
        assertEquals("QQ+2B1", envelope.envid());
        assertEquals(new Recipient(Address.of("user@mx.test"), Set.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE),
                "rfc822;user+40mx.test"), envelope.recipients().get(0));
        assertEquals(Set.of(Recipient.Notify.NEVER), envelope.recipients().get(1).notifyOn());
        assertEquals("192.0.2.1", envelope.clientAddress());
        assertEquals("client.test", envelope.clientHelo());
        assertEquals(List.of(20L), hooks.declaredSizes);
    }

    @Test
    void unknownParametersGet555AndDuplicates501() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("MAIL FROM:<a@remote.test> FOO=BAR"), 555, "5.5.4");
        assertReply(send("MAIL FROM:<a@remote.test> SIZE=1 SIZE=2"), 501, "5.5.4");
        assertReply(send("MAIL FROM:<a@remote.test> BODY=BINARYMIME"), 501, "5.5.4");
        ok("MAIL FROM:<a@remote.test>");
        assertReply(send("RCPT TO:<user@mx.test> NOTIFY=NEVER,DELAY"), 501, "5.5.4");
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedWith552() {
        open(MX);
        ok("EHLO client.test");
        assertReply(send("MAIL FROM:<a@remote.test> SIZE=1001"), 552, "5.3.4");
        assertEquals("mail", hooks.rejections.getLast().stage());
        ok("MAIL FROM:<a@remote.test> SIZE=1000");
    }

    @Test
    void aPolicyRejectionOfTheSenderIsPassedOn() {
        open(MX);
        ok("EHLO client.test");
        hooks.onMail = Decision.reject(553, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, "Not your address");
        assertEquals("553 5.7.1 Not your address", last(send("MAIL FROM:<a@remote.test>")).toString());
        assertEquals(Phase.MAIL, session.phase());
    }

    @Test
    void recipientsBeyondTheLimitGet452() {
        transaction("");
        ok("RCPT TO:<two@mx.test>");
        ok("RCPT TO:<three@mx.test>");
        assertReply(send("RCPT TO:<four@mx.test>"), 452, "4.5.3");
        assertTrue(hooks.rejections.getLast().stage().startsWith("rcpt"));
        data(".\r\n");
        assertEquals(3, hooks.deliveries.getLast().envelope().recipients().size());
    }

    // DATA

    @Test
    void dataContentReachesDeliverUnstuffed() {
        transaction("");
        Response done = data("Subject: dots\r\n\r\n..leading dot\r\nmiddle . dot\r\n...\r\n.\r\n");
        assertEquals("250 2.0.0 Ok: queued", last(done).toString());
        assertEquals("Subject: dots\r\n\r\n.leading dot\r\nmiddle . dot\r\n..\r\n", deliveredContent());
        Envelope envelope = hooks.deliveries.getLast().envelope();
        assertEquals(Address.of("sender@remote.test"), envelope.reversePath().address());
        assertEquals(List.of(Recipient.of(Address.of("user@mx.test"))), envelope.recipients());
        assertEquals(Envelope.BodyType.SEVEN_BIT, envelope.bodyType());
    }

    @Test
    void aBareLfDotDoesNotEndTheData() {
        transaction("");
        send("DATA");
        byte[] smuggled = "Subject: x\r\n\r\nhello\n.\nMAIL FROM:<evil@remote.test>\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(smuggled.length, session.receiveData(smuggled, 0, smuggled.length));
        assertFalse(session.dataComplete());
        byte[] end = ".\r\n".getBytes(StandardCharsets.US_ASCII);
        session.receiveData(end, 0, end.length);
        assertTrue(session.dataComplete());
        session.finishData();
        assertEquals("Subject: x\r\n\r\nhello\r\n\r\nMAIL FROM:<evil@remote.test>\r\n", deliveredContent());
    }

    @Test
    void pipelinedCommandsAfterTheDataAreLeftUnread() {
        transaction("");
        send("DATA");
        byte[] input = "body\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("body\r\n.\r\n".length(), session.receiveData(input, 0, input.length));
        assertTrue(session.dataComplete());
    }

    @Test
    void dataOverTheLimitIsRefusedWith552AndNotDelivered() {
        transaction("");
        Response response = data("x".repeat(1200) + "\r\n.\r\n");
        assertReply(response, 552, "5.3.4");
        assertTrue(hooks.deliveries.isEmpty());
        assertEquals(Phase.MAIL, session.phase());
    }

    @Test
    void aQueueFailureIsPassedOnAndTheTransactionEnds() {
        transaction("");
        hooks.onDeliver = Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Temporary local problem");
        assertReply(data("x\r\n.\r\n"), 451, "4.3.0");
        assertEquals(Phase.MAIL, session.phase());
    }

    // BDAT (RFC 3030)

    @Test
    void bdatChunksAreJoinedAndDelivered() {
        transaction("");
        assertEquals("250 2.0.0 12 octets received", last(bdat("BDAT 12", "Subject: x\r\n")).toString());
        assertEquals(Phase.RCPT, session.phase());
        Response done = bdat("BDAT 14 LAST", "\r\n.not stuffed");
        assertEquals("250 2.0.0 Ok: queued", last(done).toString());
        // BDAT content is not dot-stuffed: the dot stays
        assertEquals("Subject: x\r\n\r\n.not stuffed", deliveredContent());
    }

    @Test
    void bdatZeroLastEndsTheMessage() {
        transaction("");
        bdat("BDAT 6", "hello\n");
        Response done = send("BDAT 0 LAST");
        assertEquals(Response.Action.CONTINUE, done.action());
        assertReply(done, 250, "2.0.0");
        // bare line breaks in BDAT content are made CRLF
        assertEquals("hello\r\n", deliveredContent());
    }

    @Test
    void bdatWithoutRecipientsConsumesTheChunkThenRefusesWith503() {
        open(MX);
        ok("EHLO client.test");
        assertReply(bdat("BDAT 5", "hello"), 503, "5.5.1");
        ok("MAIL FROM:<a@remote.test>");
        assertReply(bdat("BDAT 5 LAST", "hello"), 503, "5.5.1");
        assertTrue(hooks.deliveries.isEmpty());
        // the session is still in step: the next command is read as a command
        ok("RCPT TO:<user@mx.test>");
    }

    @Test
    void bdatAfterEveryRecipientWasRejectedIsRefusedWith554() {
        open(MX);
        ok("EHLO client.test");
        ok("MAIL FROM:<a@remote.test>");
        send("RCPT TO:<unknown@mx.test>");
        assertReply(bdat("BDAT 3 LAST", "abc"), 554, "5.5.1");
    }

    @Test
    void bdatOverTheLimitIsRefusedWith552() {
        transaction("");
        bdat("BDAT 600", "x".repeat(600));
        assertReply(bdat("BDAT 600 LAST", "y".repeat(600)), 552, "5.3.4");
        assertTrue(hooks.deliveries.isEmpty());
        // the transaction is over
        ok("MAIL FROM:<a@remote.test>");
    }

    @Test
    void dataAndRcptAreRefusedAfterBdat() {
        transaction("");
        bdat("BDAT 2", "ab");
        assertReply(send("DATA"), 503, "5.5.1");
        assertReply(send("RCPT TO:<two@mx.test>"), 503, "5.5.1");
    }

    // other commands and the end of the session

    @Test
    void vrfyNeverRevealsUsers() {
        open(MX);
        assertReply(send("VRFY user"), 252, "2.5.0");
        assertReply(send("EXPN staff"), 502, "5.5.1");
    }

    @Test
    void noopAndHelpAnswer() {
        open(MX);
        assertReply(send("NOOP"), 250, "2.0.0");
        assertReply(send("HELP"), 214, "2.0.0");
    }

    @Test
    void quitSays221AndCloses() {
        open(MX);
        Response quit = send("QUIT");
        assertEquals("221 2.0.0 mx.test Bye", last(quit).toString());
        assertEquals(Response.Action.CLOSE, quit.action());
    }

    @Test
    void anHttpRequestClosesTheConnectionWithoutReply() {
        open(MX);
        Response response = send("GET / HTTP/1.1");
        assertTrue(response.replies().isEmpty());
        assertEquals(Response.Action.CLOSE, response.action());
        assertEquals("connect", hooks.rejections.getLast().stage());
    }

    @Test
    void aTimeoutSays421AndCloses() {
        open(MX);
        Response response = session.onTimeout();
        assertEquals("421 4.4.2 mx.test Timeout exceeded, closing", last(response).toString());
        assertEquals(Response.Action.CLOSE, response.action());
    }

    @Test
    void tooManyErrorsEndTheSessionWith421() {
        open(new SessionSettings("mx.test", true, false, false, 1000, 3, 3));
        assertEquals(Response.Action.CONTINUE, send("FOO").action());
        assertEquals(Response.Action.CONTINUE, send("MAIL FROM:<a@remote.test>").action());
        Response third = send("BAR");
        assertEquals(List.of(500, 421), third.replies().stream().map(Reply::code).toList());
        assertReply(third, 421, "4.7.0");
        assertEquals(Response.Action.CLOSE, third.action());
        assertEquals("errors", hooks.rejections.getLast().stage());
    }

    @Test
    void recipientsBeyondTheLimitAreNoErrors() {
        // a client told to send the rest later (452 4.5.3) did nothing wrong
        open(new SessionSettings("mx.test", true, false, false, 1000, 1, 3));
        ok("EHLO client.test");
        ok("MAIL FROM:<a@remote.test>");
        ok("RCPT TO:<one@mx.test>");
        for (int i = 0; i < 5; i++) {
            Response response = send("RCPT TO:<more" + i + "@mx.test>");
            assertReply(response, 452, "4.5.3");
            assertEquals(Response.Action.CONTINUE, response.action());
        }
    }

    @Test
    void successfulCommandsDoNotCountAsErrors() {
        open(new SessionSettings("mx.test", true, false, false, 1000, 3, 2));
        send("FOO");
        for (int i = 0; i < 20; i++) {
            assertEquals(Response.Action.CONTINUE, send("NOOP").action());
        }
        assertEquals(Response.Action.CLOSE, send("FOO").action());
    }

    @ParameterizedTest(name = "esmtp={0} utf8={1} tls={2} user={3} -> {4}")
    @CsvSource(textBlock = """
            # HELO is plain SMTP whatever else is true (RFC 3848)
            false, false, false, false, SMTP
            false, false, true,  true,  SMTP
            # EHLO, with S for TLS and A for AUTH
            true,  false, false, false, ESMTP
            true,  false, true,  false, ESMTPS
            true,  false, false, true,  ESMTPA
            true,  false, true,  true,  ESMTPSA
            # SMTPUTF8 (RFC 6531 3.7.3)
            true,  true,  false, false, UTF8SMTP
            true,  true,  true,  true,  UTF8SMTPSA
            """)
    void theProtocolNameOfReceivedFollowsTheSession(boolean esmtp, boolean utf8, boolean tls, boolean user, String name) {
        SessionInfo info = new SessionInfo("192.0.2.1", "client.test", esmtp, tls ? "TLSv1.3" : null,
                tls ? "TLS_AES_128_GCM_SHA256" : null, user ? "alice@example.com" : null, utf8);
        assertEquals(name, info.protocol());
    }

    @Test
    void deliveredContentIsACopyTheSessionNoLongerTouches() {
        transaction("");
        data("first\r\n.\r\n");
        byte[] first = hooks.deliveries.getLast().content().clone();
        ok("MAIL FROM:<a@remote.test>");
        ok("RCPT TO:<user@mx.test>");
        data("second message\r\n.\r\n");
        assertArrayEquals(first, hooks.deliveries.getFirst().content());
    }

    // found by SmtpFuzzTest: a bare CR inside EHLO's argument was echoed into the reply, which threw
    @Test
    void aBareCrInsideACommandLineIsRefusedWith500() {
        open(MX);
        assertReply(send("EHLO client\rexample.org"), 500, "5.5.2");
        assertReply(send("MAIL FROM:<a@b.example>\r SIZE=10"), 500, "5.5.2");
        ok("EHLO client.example.org");
    }
}
