package dev.petrel.smtp.client;

import static dev.petrel.smtp.client.Dialogue.afterEhlo;
import static dev.petrel.smtp.client.Dialogue.ehlo;
import static dev.petrel.smtp.client.Dialogue.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scripted conversations with a remote server, one per way it answers (issue 3, "Remote SMTP client"). */
class ClientSessionTest {

    static final String A = "a@remote.test";
    static final String B = "b@remote.test";
    static final String C = "c@remote.test";

    /** One line per outcome: kind, address, code and enhanced status. */
    static List<String> describe(List<RecipientOutcome> outcomes) {
        return outcomes.stream().map(o -> o.getClass().getSimpleName() + " " + o.recipient().address() + " "
                + o.reply().code() + (o.reply().status() == null ? "" : " " + o.reply().status())).toList();
    }

    // --- the plain path, one command at a time

    @Test
    void messageIsDeliveredOneCommandAtATimeWithoutPipelining() {
        Dialogue d = Dialogue.with(transaction(A))
                .server("220 mx.remote.test ESMTP").client("EHLO client.test").phase(ClientPhase.EHLO)
                .server(ehlo("SIZE 100000", "ENHANCEDSTATUSCODES"))
                .client("MAIL FROM:<sender@petrel.test> SIZE=22").phase(ClientPhase.MAIL)
                .server("250 2.1.0 Ok").client("RCPT TO:<a@remote.test>").phase(ClientPhase.RCPT)
                .server("250 2.1.5 Ok").client("DATA").phase(ClientPhase.DATA_INIT)
                .server("354 End data with <CR><LF>.<CR><LF>")
                .clientRaw("Subject: hi\r\n\r\nHello\r\n.\r\n").phase(ClientPhase.FINAL_DOT)
                .server("250 2.0.0 Ok: queued as 12345");
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0"), describe(d.ready()));
        Step.Send content = assertInstanceOf(Step.Send.class, d.then(d.session.quit()).last);
        assertEquals("QUIT\r\n", content.text());
        Step.Close close = d.phase(ClientPhase.QUIT).server("221 2.0.0 Bye").closed();
        assertEquals(List.of(), close.outcomes());
        assertEquals(ClientPhase.QUIT, close.phase());
    }

    @Test
    void messageContentIsWrittenUnderTheDataBlockTimeout() {
        Dialogue d = afterEhlo(transaction(A)).server("250 Ok").server("250 Ok").server("354 Go");
        assertEquals(ClientPhase.DATA_BLOCK, assertInstanceOf(Step.Send.class, d.last).phase());
        d.phase(ClientPhase.FINAL_DOT);
    }

    @Test
    void oneRefusedRecipientOfThreeFailsAloneWithItsReply() {
        Dialogue d = afterEhlo(transaction(A, B, C), "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok").client("RCPT TO:<a@remote.test>")
                .server("250 2.1.5 Ok").client("RCPT TO:<b@remote.test>")
                .server("550 5.1.1 No such user").client("RCPT TO:<c@remote.test>")
                .server("250 2.1.5 Ok").client("DATA").server("354 Go").server("250 2.0.0 Queued");
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Failed b@remote.test 550 5.1.1",
                "Delivered c@remote.test 250 2.0.0"), describe(d.ready()));
    }

    @Test
    void temporaryRefusalOfARecipientDefersIt() {
        Dialogue d = afterEhlo(transaction(A, B), "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok").server("451 4.3.0 Try again later").client("RCPT TO:<b@remote.test>")
                .server("250 2.1.5 Ok").client("DATA").server("354 Go").server("250 2.0.0 Queued");
        assertEquals(List.of("Deferred a@remote.test 451 4.3.0", "Delivered b@remote.test 250 2.0.0"),
                describe(d.ready()));
    }

    // --- PIPELINING (RFC 2920)

    @Test
    void pipeliningSendsMailRecipientsAndDataInOneWrite() {
        Dialogue d = afterEhlo(transaction(A, B, C), "PIPELINING", "ENHANCEDSTATUSCODES")
                .client("MAIL FROM:<sender@petrel.test>", "RCPT TO:<a@remote.test>", "RCPT TO:<b@remote.test>",
                        "RCPT TO:<c@remote.test>", "DATA")
                .phase(ClientPhase.MAIL).server("250 2.1.0 Ok").reading().phase(ClientPhase.RCPT)
                .server("250 2.1.5 Ok", "550 5.1.1 Unknown", "250 2.1.5 Ok").reading().phase(ClientPhase.DATA_INIT)
                .server("354 Go").clientRaw("Subject: hi\r\n\r\nHello\r\n.\r\n")
                .server("250 2.0.0 Queued");
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Failed b@remote.test 550 5.1.1",
                "Delivered c@remote.test 250 2.0.0"), describe(d.ready()));
    }

    @Test
    void pipelinedDataRefusedBecauseNoRecipientWasAcceptedIsHandledAndResetBeforeTheNextMail() {
        Dialogue d = afterEhlo(transaction(A, B), "PIPELINING", "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok", "550 5.1.1 Unknown", "450 4.2.1 Mailbox busy", "554 5.5.1 No valid recipients");
        assertEquals(List.of("Failed a@remote.test 550 5.1.1", "Deferred b@remote.test 450 4.2.1"),
                describe(d.ready()));
        d.then(d.session.newTransaction(transaction(C)))
                .client("RSET", "MAIL FROM:<sender@petrel.test>", "RCPT TO:<c@remote.test>", "DATA")
                .server("250 2.0.0 Ok", "250 2.1.0 Ok", "250 2.1.5 Ok", "354 Go").server("250 2.0.0 Ok");
        assertEquals(List.of("Delivered c@remote.test 250 2.0.0"), describe(d.ready()));
    }

    @Test
    void pipelinedDataAcceptedWithoutRecipientsGetsOnlyTheEndOfData() {
        // RFC 2920 3.1: if DATA was accepted anyway, the client sends a single dot
        Dialogue d = afterEhlo(transaction(A), "PIPELINING")
                .server("250 Ok", "550 No such user", "354 Go").clientRaw(".\r\n").server("554 No recipients");
        assertEquals(List.of("Failed a@remote.test 550"), describe(d.ready()));
    }

    @Test
    void pipelinedRefusalOfMailGivesItsReplyToEveryRecipient() {
        Dialogue d = afterEhlo(transaction(A, B), "PIPELINING", "ENHANCEDSTATUSCODES")
                .server("451 4.7.1 Greylisted", "503 5.5.1 Need MAIL", "503 5.5.1 Need MAIL", "503 5.5.1 Need MAIL");
        assertEquals(List.of("Deferred a@remote.test 451 4.7.1", "Deferred b@remote.test 451 4.7.1"),
                describe(d.ready()));
        // no transaction is open on the server: no RSET before the next
        d.then(d.session.newTransaction(transaction(A))).client("MAIL FROM:<sender@petrel.test>",
                "RCPT TO:<a@remote.test>", "DATA");
    }

    @Test
    void closingReplyInTheMiddleOfAPipelineKeepsTheRepliesAlreadyReceived() {
        Step.Close close = afterEhlo(transaction(A, B, C), "PIPELINING", "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok", "550 5.1.1 Unknown", "421 4.3.2 Shutting down").closed();
        assertEquals(List.of("Failed a@remote.test 550 5.1.1", "Deferred b@remote.test 421 4.3.2",
                "Deferred c@remote.test 421 4.3.2"), describe(close.outcomes()));
        assertEquals(ClientPhase.RCPT, close.phase());
    }

    // --- refusals of MAIL, DATA and the final dot

    @Test
    void refusedMailFailsEveryRecipientWithoutSendingRcpt() {
        Dialogue d = afterEhlo(transaction(A, B), "ENHANCEDSTATUSCODES").server("550 5.7.1 Sender rejected");
        assertEquals(List.of("Failed a@remote.test 550 5.7.1", "Failed b@remote.test 550 5.7.1"), describe(d.ready()));
    }

    @Test
    void noAcceptedRecipientMeansNoDataAndRsetBeforeTheNextMessage() {
        Dialogue d = afterEhlo(transaction(A), "ENHANCEDSTATUSCODES").server("250 2.1.0 Ok").server("550 5.1.1 Unknown");
        assertEquals(List.of("Failed a@remote.test 550 5.1.1"), describe(d.ready()));
        d.then(d.session.newTransaction(transaction(B))).client("RSET").phase(ClientPhase.MAIL)
                .server("250 2.0.0 Ok").client("MAIL FROM:<sender@petrel.test>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"451 4.3.0 Local error", "554 5.5.1 Transaction failed"})
    void refusedDataDecidesTheAcceptedRecipients(String refusal) {
        Dialogue d = afterEhlo(transaction(A, B), "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok", "250 2.1.5 Ok", "550 5.1.1 Unknown").client("DATA").server(refusal);
        String kind = refusal.startsWith("4") ? "Deferred" : "Failed";
        assertEquals(List.of(kind + " a@remote.test " + refusal.substring(0, 9), "Failed b@remote.test 550 5.1.1"),
                describe(d.ready()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"451 4.3.0 Queue full", "552 5.3.4 Message too big", "554 5.7.1 Spam"})
    void refusalAfterTheFinalDotDecidesEveryAcceptedRecipient(String refusal) {
        Dialogue d = afterEhlo(transaction(A, B), "PIPELINING", "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "354 Go").server(refusal);
        String kind = refusal.startsWith("4") ? "Deferred" : "Failed";
        String reply = refusal.substring(0, 9);
        assertEquals(List.of(kind + " a@remote.test " + reply, kind + " b@remote.test " + reply), describe(d.ready()));
        // the transaction ended with the final reply: no RSET before the next
        d.then(d.session.newTransaction(transaction(C))).client("MAIL FROM:<sender@petrel.test>",
                "RCPT TO:<c@remote.test>", "DATA");
    }

    // --- greeting and EHLO

    @Test
    void closingGreetingDefersEveryRecipientAndClosesAtOnce() {
        Step.Close close = Dialogue.with(transaction(A, B)).server("421 mx.remote.test Too busy, try later").closed();
        assertEquals(List.of("Deferred a@remote.test 421", "Deferred b@remote.test 421"), describe(close.outcomes()));
        assertEquals(ClientPhase.GREETING, close.phase());
    }

    @Test
    void refusingGreetingFailsEveryRecipientAfterQuit() {
        // RFC 5321 3.1: after a 554 greeting the server waits for QUIT
        Dialogue d = Dialogue.with(transaction(A)).server("554 mx.remote.test No SMTP service here").client("QUIT")
                .phase(ClientPhase.QUIT).server("221 Bye");
        Step.Close close = d.closed();
        assertEquals(List.of("Failed a@remote.test 554"), describe(close.outcomes()));
        assertEquals(ClientPhase.GREETING, close.phase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"500 Command unrecognized", "502 Not implemented"})
    void rejectedEhloFallsBackToHeloWithoutExtensions(String refusal) {
        Dialogue d = Dialogue.with(transaction(A)).server("220 old.remote.test SMTP").client("EHLO client.test")
                .server(refusal).client("HELO client.test").phase(ClientPhase.EHLO).server("250 old.remote.test")
                // no SIZE, no pipelining: nothing was advertised
                .client("MAIL FROM:<sender@petrel.test>");
        assertEquals(Extensions.NONE, d.session.extensions());
        d.server("250 Ok").client("RCPT TO:<a@remote.test>").server("250 Ok").client("DATA");
    }

    @Test
    void refusedHeloEndsTheSession() {
        Step.Close close = Dialogue.with(transaction(A)).server("220 x").server("502 No").client("HELO client.test")
                .server("550 Go away").client("QUIT").server("221 Bye").closed();
        assertEquals(List.of("Failed a@remote.test 550"), describe(close.outcomes()));
        assertEquals(ClientPhase.EHLO, close.phase());
    }

    // --- STARTTLS (RFC 3207)

    @Test
    void offeredStartTlsIsUsedAndTheExtensionsAreLearnedAgainAfterTheHandshake() {
        Dialogue d = Dialogue.with(transaction(A)).server("220 mx.remote.test ESMTP").client("EHLO client.test")
                .server(ehlo("PIPELINING", "STARTTLS")).client("STARTTLS").phase(ClientPhase.STARTTLS)
                .server("220 Ready to start TLS");
        assertInstanceOf(Step.StartTls.class, d.last);
        d.phase(ClientPhase.TLS_HANDSHAKE);
        d.then(d.session.tlsStarted()).client("EHLO client.test");
        assertEquals(Extensions.NONE, d.session.extensions());
        // after TLS the server no longer offers PIPELINING: the client does not use it
        d.server(ehlo("SIZE 1000")).client("MAIL FROM:<sender@petrel.test> SIZE=22");
        assertEquals(true, d.session.tlsActive());
    }

    @Test
    void requiredTlsNotOfferedDefersEveryRecipient() {
        Dialogue d = Dialogue.with(ClientSettings.of("client.test", TlsPolicy.REQUIRE), transaction(A, B))
                .server("220 mx.remote.test ESMTP").server(ehlo("PIPELINING")).client("QUIT").server("221 Bye");
        Step.Close close = d.closed();
        assertEquals(List.of("Deferred a@remote.test 454 4.7.4", "Deferred b@remote.test 454 4.7.4"),
                describe(close.outcomes()));
        assertEquals(ClientPhase.EHLO, close.phase());
    }

    @Test
    void requiredTlsRefusedByTheServerDefersEveryRecipient() {
        Step.Close close = Dialogue.with(ClientSettings.of("client.test", TlsPolicy.REQUIRE), transaction(A))
                .server("220 x").server(ehlo("STARTTLS")).client("STARTTLS").server("454 TLS not available")
                .client("QUIT").server("221 Bye").closed();
        assertEquals(List.of("Deferred a@remote.test 454 4.7.4"), describe(close.outcomes()));
    }

    @Test
    void opportunisticTlsRefusedByTheServerGoesOnInCleartext() {
        Dialogue d = Dialogue.with(transaction(A)).server("220 x", "250-x", "250-PIPELINING", "250 STARTTLS")
                .client("STARTTLS").server("454 TLS not available")
                .client("MAIL FROM:<sender@petrel.test>", "RCPT TO:<a@remote.test>", "DATA");
        assertEquals(false, d.session.tlsActive());
    }

    @Test
    void failedHandshakeUnderOpportunisticTlsAsksForACleartextRetry() {
        Dialogue d = Dialogue.with(transaction(A)).server("220 x").server(ehlo("STARTTLS")).server("220 Go ahead");
        assertInstanceOf(Step.RetryWithoutTls.class, d.session.tlsFailed());
        assertEquals(ClientPhase.CLOSED, d.session.phase());
    }

    @Test
    void failedHandshakeUnderRequiredTlsDefersEveryRecipient() {
        Dialogue d = Dialogue.with(ClientSettings.of("client.test", TlsPolicy.REQUIRE), transaction(A))
                .server("220 x").server(ehlo("STARTTLS")).server("220 Go ahead");
        Step.Close close = d.then(d.session.tlsFailed()).closed();
        assertEquals(List.of("Deferred a@remote.test 454 4.7.5"), describe(close.outcomes()));
        assertEquals(ClientPhase.TLS_HANDSHAKE, close.phase());
    }

    @Test
    void noStartTlsWhenThePolicySaysNone() {
        Dialogue.with(ClientSettings.of("client.test", TlsPolicy.NONE), transaction(A))
                .server("220 x").server(ehlo("STARTTLS")).client("MAIL FROM:<sender@petrel.test>");
    }

    @Test
    void afterTlsTheServerIsNotAskedForStartTlsAgain() {
        Dialogue d = Dialogue.with(transaction(A)).server("220 x").server(ehlo("STARTTLS")).server("220 Go ahead");
        d.then(d.session.tlsStarted()).server(ehlo("STARTTLS")).client("MAIL FROM:<sender@petrel.test>");
    }

    // --- what is known before MAIL: SIZE (RFC 1870) and SMTPUTF8 (RFC 6531)

    @Test
    void messageOverTheServersSizeFailsWithoutBeingSentAndTheConnectionCarriesTheNext() {
        byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Dialogue d = afterEhlo(Dialogue.transaction(Dialogue.envelope("sender@petrel.test", A), big), "SIZE 100");
        List<RecipientOutcome> outcomes = d.ready();
        assertEquals(List.of("Failed a@remote.test 552 5.3.4"), describe(outcomes));
        d.then(d.session.newTransaction(transaction(B))).client("MAIL FROM:<sender@petrel.test> SIZE=22");
    }

    @Test
    void sizeZeroMeansNoLimit() {
        afterEhlo(transaction(A), "SIZE 0").client("MAIL FROM:<sender@petrel.test> SIZE=22");
    }

    @Test
    void messageNeedingSmtpUtf8FailsAtAServerWithoutIt() {
        Dialogue d = afterEhlo(transaction("jörg@remote.test"), "8BITMIME");
        RecipientOutcome outcome = d.ready().getFirst();
        assertInstanceOf(RecipientOutcome.Failed.class, outcome);
        assertEquals(EnhancedStatus.NON_ASCII_NOT_PERMITTED, outcome.reply().status());
    }

    @Test
    void smtpUtf8IsDeclaredWhenNeededAndOffered() {
        Envelope e = Dialogue.envelope("sender@petrel.test", A);
        Envelope utf8 = new Envelope(e.reversePath(), e.recipients(), Envelope.BodyType.EIGHT_BIT_MIME, true,
                Envelope.Ret.NONE, null, null, "local", null);
        afterEhlo(Dialogue.transaction(utf8, Dialogue.CONTENT), "8BITMIME", "SMTPUTF8")
                .client("MAIL FROM:<sender@petrel.test> BODY=8BITMIME SMTPUTF8");
        afterEhlo(transaction("jörg@remote.test"), "SMTPUTF8").client("MAIL FROM:<sender@petrel.test> SMTPUTF8")
                .server("250 Ok").client("RCPT TO:<jörg@remote.test>");
    }

    @Test
    void eightBitMessageGoesWithoutBodyParameterToAServerWithout8bitmime() {
        Envelope e = Dialogue.envelope("sender@petrel.test", A);
        Envelope eight = new Envelope(e.reversePath(), e.recipients(), Envelope.BodyType.EIGHT_BIT_MIME, false,
                Envelope.Ret.NONE, null, null, "local", null);
        afterEhlo(Dialogue.transaction(eight, Dialogue.CONTENT)).client("MAIL FROM:<sender@petrel.test>");
        afterEhlo(Dialogue.transaction(eight, Dialogue.CONTENT), "8BITMIME")
                .client("MAIL FROM:<sender@petrel.test> BODY=8BITMIME");
    }

    // --- DSN parameters (RFC 3461) only to a server that lists DSN

    @Test
    void dsnParametersArePassedOnOnlyWhenTheServerAdvertisesDsn() {
        Envelope e = Dialogue.envelope("", A);
        Recipient r = Dialogue.recipient(A, Set.of(Recipient.Notify.FAILURE, Recipient.Notify.SUCCESS),
                "rfc822;orig+2Bx@elsewhere.test");
        Envelope dsn = new Envelope(e.reversePath(), List.of(r), Envelope.BodyType.SEVEN_BIT, false,
                Envelope.Ret.HDRS, "id+3D42", null, "local", null);
        Transaction t = Dialogue.transaction(dsn, Dialogue.CONTENT);
        afterEhlo(t, "DSN", "PIPELINING").client("MAIL FROM:<> RET=HDRS ENVID=id+3D42",
                "RCPT TO:<a@remote.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;orig+2Bx@elsewhere.test", "DATA");
        afterEhlo(t, "PIPELINING").client("MAIL FROM:<>", "RCPT TO:<a@remote.test>", "DATA");
    }

    // --- CHUNKING (RFC 3030)

    @Test
    void chunkingSendsTheRawMessageWithBdatInsteadOfData() {
        byte[] dotted = "Subject: x\r\n\r\n.leading dot\r\n".getBytes(StandardCharsets.US_ASCII);
        Dialogue d = afterEhlo(Dialogue.transaction(Dialogue.envelope("sender@petrel.test", A), dotted),
                "PIPELINING", "CHUNKING", "ENHANCEDSTATUSCODES")
                .clientRaw("MAIL FROM:<sender@petrel.test>\r\nRCPT TO:<a@remote.test>\r\n"
                        + "BDAT 28 LAST\r\nSubject: x\r\n\r\n.leading dot\r\n")
                .server("250 2.1.0 Ok", "250 2.1.5 Ok").phase(ClientPhase.FINAL_DOT).server("250 2.0.0 Queued");
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0"), describe(d.ready()));
    }

    @Test
    void chunksOfAConfiguredSizeWaitForEachReply() {
        Dialogue d = Dialogue.with(Dialogue.SETTINGS.withChunkSize(10).withTls(TlsPolicy.NONE), transaction(A))
                .server("220 x").server(ehlo("CHUNKING")).server("250 Ok").server("250 Ok")
                .clientRaw("BDAT 10\r\nSubject: h").phase(ClientPhase.DATA_BLOCK)
                .server("250 10 octets").clientRaw("BDAT 10\r\ni\r\n\r\nHello")
                .server("250 20 octets").clientRaw("BDAT 2 LAST\r\n\r\n").phase(ClientPhase.FINAL_DOT)
                .server("250 Queued");
        assertEquals(List.of("Delivered a@remote.test 250"), describe(d.ready()));
    }

    @Test
    void refusedChunkEndsTheTransactionAndTheNextStartsWithRset() {
        Dialogue d = Dialogue.with(Dialogue.SETTINGS.withChunkSize(10).withTls(TlsPolicy.NONE), transaction(A))
                .server("220 x").server(ehlo("CHUNKING")).server("250 Ok").server("250 Ok")
                .server("452 Out of space");
        assertEquals(List.of("Deferred a@remote.test 452"), describe(d.ready()));
        d.then(d.session.newTransaction(transaction(B))).client("RSET");
    }

    @Test
    void pipelinedBdatAfterEveryRecipientWasRefusedDecidesNothingMore() {
        Dialogue d = afterEhlo(transaction(A), "PIPELINING", "CHUNKING")
                .server("250 Ok", "550 Unknown", "554 No valid recipients");
        assertEquals(List.of("Failed a@remote.test 550"), describe(d.ready()));
    }

    // --- replies

    @Test
    void multiLineRepliesWithEnhancedCodesAreOneReply() {
        Dialogue d = afterEhlo(transaction(A), "ENHANCEDSTATUSCODES").server("250 2.1.0 Ok")
                .server("550-5.1.1 The email account that you tried to reach does not exist.").reading()
                .server("550 5.1.1 Please try double-checking the recipient's email address.");
        Reply reply = d.ready().getFirst().reply();
        assertEquals(new Reply(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, List.of(
                "The email account that you tried to reach does not exist.",
                "Please try double-checking the recipient's email address.")), reply);
    }

    @Test
    void enhancedCodesAreTakenAlsoFromAServerThatDoesNotAdvertiseThem() {
        // as Postfix takes them: "550 5.1.1 Unknown" is a bad mailbox whatever the EHLO reply said
        Dialogue d = afterEhlo(transaction(A)).server("250 Ok").server("550 5.1.1 Unknown");
        assertEquals(Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "Unknown"), d.ready().getFirst().reply());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello", "25", "250x Ok", "2500", "650 Ok", "150 Ok", "2a0 Ok", ""})
    void malformedReplyEndsTheSessionAndDefersTheRecipients(String line) {
        Step.Close close = afterEhlo(transaction(A, B)).server("250 Ok").server(line).closed();
        assertEquals(List.of("Deferred a@remote.test 451 4.5.0", "Deferred b@remote.test 451 4.5.0"),
                describe(close.outcomes()));
        assertEquals(ClientPhase.RCPT, close.phase());
    }

    @Test
    void replyCodeChangingInsideAMultiLineReplyIsMalformed() {
        Step.Close close = afterEhlo(transaction(A)).server("250-Ok", "251 Ok").closed();
        assertEquals(List.of("Deferred a@remote.test 451 4.5.0"), describe(close.outcomes()));
    }

    @Test
    void intermediateReplyToRcptIsAProtocolError() {
        Step.Close close = afterEhlo(transaction(A)).server("250 Ok").server("354 Go ahead").closed();
        assertEquals(List.of("Deferred a@remote.test 451 4.5.0"), describe(close.outcomes()));
    }

    // --- the connection, reuse

    @Test
    void secondMessageReusesTheConnectionWithoutRset() {
        Dialogue d = afterEhlo(transaction(A), "PIPELINING")
                .server("250 Ok", "250 Ok", "354 Go").server("250 Queued");
        assertEquals(1, d.ready().size());
        d.then(d.session.newTransaction(transaction(B, C)))
                .client("MAIL FROM:<sender@petrel.test>", "RCPT TO:<b@remote.test>", "RCPT TO:<c@remote.test>", "DATA")
                .server("250 Ok", "250 Ok", "250 Ok", "354 Go").server("250 Queued");
        assertEquals(List.of("Delivered b@remote.test 250", "Delivered c@remote.test 250"), describe(d.ready()));
    }

    @Test
    void timeoutWhileWaitingForTheFinalReplyDefersTheAcceptedRecipients() {
        Dialogue d = afterEhlo(transaction(A, B)).server("250 Ok", "550 Unknown", "250 Ok", "354 Go");
        Step.Close close = d.then(d.session.onTimeout()).closed();
        assertEquals(List.of("Failed a@remote.test 550", "Deferred b@remote.test 421 4.4.2"), describe(close.outcomes()));
        assertEquals(ClientPhase.FINAL_DOT, close.phase());
    }

    @Test
    void lostConnectionWhileIdleDecidesNothing() {
        Dialogue d = afterEhlo(transaction(A)).server("250 Ok", "250 Ok", "354 Go", "250 Ok");
        d.ready();
        Step.Close close = d.then(d.session.onConnectionLost()).closed();
        assertEquals(List.of(), close.outcomes());
    }

    @Test
    void lostConnectionAfterQuitKeepsTheOutcomesAlreadyDecided() {
        Dialogue d = Dialogue.with(transaction(A)).server("554 Go away").client("QUIT");
        Step.Close close = d.then(d.session.onConnectionLost()).closed();
        assertEquals(List.of("Failed a@remote.test 554"), describe(close.outcomes()));
    }

    @Test
    void bareLineBreaksInTheMessageLeaveAsCrlf() {
        byte[] content = "Subject: x\n\nline\rnext\n.dot".getBytes(StandardCharsets.US_ASCII);
        afterEhlo(Dialogue.transaction(Dialogue.envelope("sender@petrel.test", A), content))
                .server("250 Ok", "250 Ok", "354 Go")
                .clientRaw("Subject: x\r\n\r\nline\r\nnext\r\n..dot\r\n.\r\n");
    }

    @Test
    void commandsOutOfTurnAreRefused() {
        Dialogue d = Dialogue.with(transaction(A));
        assertThrows(IllegalStateException.class, () -> d.session.newTransaction(transaction(B)));
        assertThrows(IllegalStateException.class, d.session::quit);
        assertThrows(IllegalStateException.class, d.session::tlsStarted);
        assertThrows(IllegalStateException.class, d.session::start);
    }
}
