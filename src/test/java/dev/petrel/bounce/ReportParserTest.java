package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReportParserTest {

    static byte[] sample(String name) throws IOException {
        try (InputStream in = ReportParserTest.class.getResourceAsStream("reports/" + name)) {
            return in.readAllBytes();
        }
    }

    // Postfix's bounce(8) format (the non-delivery report it sends for "User unknown in virtual mailbox table"),
    // with its X-Postfix-* per-message fields, a folded Diagnostic-Code and the returned headers
    @Test
    void aPostfixNonDeliveryReportNamesRecipientStatusAndDiagnostic() throws IOException {
        InboundReport.DeliveryReport r = assertInstanceOf(InboundReport.DeliveryReport.class,
                ReportParser.parse(sample("postfix-user-unknown.eml")).orElseThrow());
        assertEquals(1, r.recipients().size());
        InboundReport.RecipientStatus s = r.recipients().getFirst();
        assertEquals("nobody@example.net", s.finalRecipient());
        assertEquals("nobody@example.net", s.originalRecipient());
        assertEquals("failed", s.action());
        assertEquals("5.1.1", s.status());
        assertEquals("550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox"
                + " table", s.diagnostic());
        assertEquals("mailstore.example.net", s.remoteMta());
        assertEquals("b-X@bounce.example", r.original().returnPath());
        assertEquals(":news:acme:petrel", r.original().feedbackId());
    }

    // Gmail's delay notice ("Delivery Status Notification (Delay)"), the boundary before report-type, and the
    // whole original returned as message/rfc822
    @Test
    void aGmailDelayNoticeIsADelayedAction() throws IOException {
        InboundReport.DeliveryReport r = assertInstanceOf(InboundReport.DeliveryReport.class,
                ReportParser.parse(sample("gmail-delayed.eml")).orElseThrow());
        InboundReport.RecipientStatus s = r.recipients().getFirst();
        assertEquals("delayed", s.action());
        assertEquals("4.2.2", s.status());
        assertEquals("full@example.org", s.finalRecipient());
        assertNull(s.originalRecipient());
        assertEquals("<abc@acme.example>", r.original().messageId());
    }

    // RFC 5965 Appendix B.2, the example of a complete report (its text as the RFC prints it)
    @Test
    void theRfc5965ExampleIsAnAbuseComplaint() throws IOException {
        InboundReport.Complaint c = assertInstanceOf(InboundReport.Complaint.class,
                ReportParser.parse(sample("rfc5965-appendix-b2.eml")).orElseThrow());
        assertEquals("abuse", c.feedbackType());
        assertEquals("user@example.com", c.originalRcptTo());
        assertEquals("somespammer@example.net", c.originalMailFrom());
        assertEquals("SomeGenerator/1.0", c.userAgent());
        assertEquals("8787KJKJ3K4J3K4J3K4J3.mail@example.net", c.original().messageId());
        assertNull(c.original().returnPath());
    }

    // what is not a readable report is no report: the caller keeps it for an operator
    @ParameterizedTest
    @ValueSource(strings = {
            "Subject: hi\r\n\r\nplain mail\r\n",
            "Content-Type: multipart/report; report-type=delivery-status\r\n\r\nno boundary\r\n",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type:"
                    + " message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nAction: failed\r\n--b--\r\n",
            "Content-Type: multipart/report; report-type=feedback-report; boundary=b\r\n\r\n--b\r\nContent-Type:"
                    + " message/feedback-report\r\n\r\nUser-Agent: x\r\n--b--\r\n",
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\r\n\r\n--b--\r\n",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type:"
                    + " message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n--b--\r\n",
            ""})
    void whatIsNotAReadableReportIsEmpty(String message) {
        assertTrue(ReportParser.parse(message.getBytes(StandardCharsets.UTF_8)).isEmpty());
    }
}
