package dev.petrel.smtp.client;

import static dev.petrel.smtp.client.ClientSessionTest.A;
import static dev.petrel.smtp.client.ClientSessionTest.B;
import static dev.petrel.smtp.client.ClientSessionTest.C;
import static dev.petrel.smtp.client.ClientSessionTest.describe;
import static dev.petrel.smtp.client.Dialogue.ehlo;
import static dev.petrel.smtp.client.Dialogue.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.Transaction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client in LMTP mode (RFC 2033): LHLO, and one reply per accepted recipient after the data. */
class LmtpSessionTest {

    private static final ClientSettings LMTP = ClientSettings.of("client.test", TlsPolicy.NONE).asLmtp();

    private static Dialogue lhlo(Transaction t, String... keywords) {
        return Dialogue.with(LMTP, t).server("220 lmtp.test LMTP ready").client("LHLO client.test")
                .server(ehlo(keywords));
    }

    @Test
    void eachAcceptedRecipientGetsItsOwnReplyAfterTheData() {
        Dialogue d = lhlo(transaction(A, B, C), "PIPELINING", "ENHANCEDSTATUSCODES", "CHUNKING")
                // RFC 2033 4.2: no BDAT here, even when offered
                .client("MAIL FROM:<sender@petrel.test>", "RCPT TO:<a@remote.test>", "RCPT TO:<b@remote.test>",
                        "RCPT TO:<c@remote.test>", "DATA")
                .server("250 2.1.0 Ok", "250 2.1.5 Ok", "550 5.1.1 Unknown", "250 2.1.5 Ok", "354 Go")
                .clientRaw("Subject: hi\r\n\r\nHello\r\n.\r\n")
                .phase(ClientPhase.FINAL_DOT)
                .server("250 2.0.0 Saved").reading().phase(ClientPhase.FINAL_DOT)
                .server("452 4.2.2 Quota exceeded");
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Failed b@remote.test 550 5.1.1",
                "Deferred c@remote.test 452 4.2.2"), describe(d.ready()));
    }

    @Test
    void aConnectionLostBetweenTheRepliesKeepsTheRepliesAlreadyGiven() {
        Dialogue d = lhlo(transaction(A, B), "PIPELINING", "ENHANCEDSTATUSCODES")
                .server("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "354 Go")
                .server("250 2.0.0 Saved").reading();
        Step.Close close = assertInstanceOf(Step.Close.class, d.then(d.session.onConnectionLost()).last);
        assertEquals(List.of("Delivered a@remote.test 250 2.0.0", "Deferred b@remote.test 421 4.4.2"),
                describe(close.outcomes()));
    }

    @Test
    void aRefusedLhloIsNotRetriedAsHelo() {
        Dialogue d = Dialogue.with(LMTP, transaction(A)).server("220 lmtp.test").client("LHLO client.test")
                .server("500 5.5.1 Unknown command").client("QUIT");
        Step.Close close = d.server("221 Bye").closed();
        // the enhanced code is taken before LHLO has said which extensions the server has, as Postfix takes it
        assertEquals(List.of("Failed a@remote.test 500 5.5.1"), describe(close.outcomes()));
    }
}
