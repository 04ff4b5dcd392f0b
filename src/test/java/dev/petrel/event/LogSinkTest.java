package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSinkTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    private static final QueueId ID = new QueueId("1M1BDZPWL00RDFF");

    @Test
    void queuedNamesSenderSizeRecipientsAndClient() {
        assertEquals("queued id=1M1BDZPWL00RDFF from=<a@example.com> size=1234 nrcpt=2 client=192.0.2.1",
                LogSink.format(new MailEvent.Queued(T, ID, "a@example.com", 1234, 2, "192.0.2.1", null)));
    }

    @Test
    void complainedNamesRecipientFeedbackTypeAndReporter() {
        assertEquals("complained id=1M1BDZPWL00RDFF to=<bob@example.net> feedback_type=abuse"
                        + " reporter=\"Yahoo! Mail Feedback/2.0\"",
                LogSink.format(new MailEvent.Complained(T, ID, "bob@example.net", "abuse", "Yahoo! Mail Feedback/2.0",
                        dev.petrel.mail.SendContext.EMPTY)));
    }

    @Test
    void queuedNamesTheAuthenticatedUserAndTheNullSender() {
        assertEquals("queued id=1M1BDZPWL00RDFF from=<> size=10 nrcpt=1 client=2001:db8::1 sasl_username=alice@example.com",
                LogSink.format(new MailEvent.Queued(T, ID, "", 10, 1, "2001:db8::1", "alice@example.com")));
    }

    @Test
    void queuedCarriesTheAuthenticationResultsOfMailFromElsewhere() {
        java.util.Map<String, String> results = new java.util.LinkedHashMap<>();
        results.put("spf", "pass");
        results.put("dkim", "pass,fail");
        results.put("dmarc", "pass");
        assertEquals("queued id=1M1BDZPWL00RDFF from=<a@example.com> size=5 nrcpt=1 client=192.0.2.1"
                        + " spf=pass dkim=pass,fail dmarc=pass",
                LogSink.format(new MailEvent.Queued(T, ID, "a@example.com", 5, 1, "192.0.2.1", null, results, false)));
    }

    @Test
    void queuedOnHoldSaysSoLast() {
        assertEquals("queued id=1M1BDZPWL00RDFF from=<a@example.com> size=5 nrcpt=1 client=192.0.2.1 held",
                LogSink.format(new MailEvent.Queued(T, ID, "a@example.com", 5, 1, "192.0.2.1", null,
                        java.util.Map.of(), true)));
    }

    @Test
    void deliveredDeferredAndBouncedShareTheirShape() {
        Duration delay = Duration.ofMillis(1500);
        assertEquals("delivered id=1M1BDZPWL00RDFF to=<u@remote.test> relay=mx.remote.test[192.0.2.9]:25 delay=1.50"
                        + " dsn=2.0.0 reply=\"250 2.0.0 Ok: queued as 12345\"",
                LogSink.format(new MailEvent.Delivered(T, ID, "u@remote.test", "mx.remote.test[192.0.2.9]:25", delay,
                        "2.0.0", "250 2.0.0 Ok: queued as 12345")));
        assertEquals("deferred id=1M1BDZPWL00RDFF to=<u@remote.test> relay=mx.remote.test[192.0.2.9]:25 delay=120.00"
                        + " dsn=4.2.0 class=soft reply=\"451 4.2.0 Greylisted\"",
                LogSink.format(new MailEvent.Deferred(T, ID, "u@remote.test", "mx.remote.test[192.0.2.9]:25",
                        Duration.ofMinutes(2), "4.2.0", "451 4.2.0 Greylisted", BounceClass.SOFT)));
        assertEquals("bounced id=1M1BDZPWL00RDFF to=<u@remote.test> relay=none delay=0.00"
                        + " dsn=5.1.1 class=hard reply=\"550 5.1.1 No such user\"",
                LogSink.format(new MailEvent.Bounced(T, ID, "u@remote.test", "none", Duration.ZERO, "5.1.1",
                        "550 5.1.1 No such user", BounceClass.HARD)));
    }

    @Test
    void expiredSaysTheLifetimeWasExceeded() {
        assertEquals("expired id=1M1BDZPWL00RDFF to=<u@remote.test> relay=none delay=432000.00 dsn=4.4.7"
                        + " reply=\"message lifetime exceeded\"",
                LogSink.format(new MailEvent.Expired(T, ID, "u@remote.test", Duration.ofDays(5), "4.4.7")));
    }

    @Test
    void rejectedNamesWhatIsKnown() {
        assertEquals("rejected client=192.0.2.1 stage=rcpt from=<a@remote.test> to=<x@localhost>"
                        + " reply=\"550 5.1.1 User unknown\"",
                LogSink.format(new MailEvent.Rejected(T, "192.0.2.1", "rcpt", "a@remote.test", "x@localhost",
                        "550 5.1.1 User unknown")));
        assertEquals("rejected client=192.0.2.1 stage=connect reply=\"421 4.7.0 Too many connections\"",
                LogSink.format(new MailEvent.Rejected(T, "192.0.2.1", "connect", null, null, "421 4.7.0 Too many connections")));
    }

    @Test
    void aRefusalForWantOfConsentNamesTheTenantTheStreamAndTheReason() {
        assertEquals("rejected client=192.0.2.1 stage=consent to=<ann@x.test> tenant=acme stream=news"
                        + " reason=consent_withdrawn reply=\"550 5.7.1 Recipient refused: consent_withdrawn\"",
                LogSink.format(new MailEvent.Rejected(T, "192.0.2.1", "consent", null, "ann@x.test",
                        "550 5.7.1 Recipient refused: consent_withdrawn", "consent_withdrawn",
                        new dev.petrel.mail.SendContext("acme", "news", null, java.util.Map.of()))));
    }

    @Test
    void suppressedNamesTheTenantTheStreamAndTheReason() {
        assertEquals("suppressed to=<x@remote.test> tenant=acme stream=news reason=unsubscribe"
                        + " reply=\"550 5.7.1 Recipient suppressed: unsubscribe from stream news on 2026-12-01\"",
                LogSink.format(new MailEvent.Suppressed(T, "x@remote.test", "unsubscribe",
                        "550 5.7.1 Recipient suppressed: unsubscribe from stream news on 2026-12-01",
                        new dev.petrel.mail.SendContext("acme", "news", null, java.util.Map.of()))));
        assertEquals("suppressed to=<x@remote.test> tenant=acme reason=hard_bounce reply=\"550 5.7.1 no\"",
                LogSink.format(new MailEvent.Suppressed(T, "x@remote.test", "hard_bounce", "550 5.7.1 no",
                        new dev.petrel.mail.SendContext("acme", null, null, java.util.Map.of()))));
    }

    @Test
    void removedNamesTheId() {
        assertEquals("removed id=1M1BDZPWL00RDFF by=operator", LogSink.format(new MailEvent.Removed(T, ID)));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # plain values stay bare
            250                        | 250
            mx.example.com             | mx.example.com
            # values with spaces or "=" are quoted; empty ones too, so the key still has a value
            250 Ok                     | "250 Ok"
            a=b                        | "a=b"
            ``                         | ""
            # quotes and backslashes inside are escaped
            say "hi" now               | "say \\"hi\\" now"
            back\\slash                | back\\\\slash
            "quoted"                   | \\"quoted\\"
            """)
    void valuesAreQuotedWhenTheyWouldBreakTheLine(String value, String quoted) {
        assertEquals(quoted, LogSink.quote(value));
    }

    @Test
    void lineBreaksInARemoteReplyNeverSplitTheLogLine() {
        String line = LogSink.format(new MailEvent.Deferred(T, ID, "u@remote.test", "mx.remote.test", Duration.ZERO,
                "4.0.0", "451 first line\r\nqueued id=FAKE from=<evil>", BounceClass.SOFT));
        assertFalse(line.contains("\r"), line);
        assertFalse(line.contains("\n"), line);
        assertEquals("deferred id=1M1BDZPWL00RDFF to=<u@remote.test> relay=mx.remote.test delay=0.00 dsn=4.0.0"
                + " class=soft reply=\"451 first line\\r\\nqueued id=FAKE from=<evil>\"", line);
    }

    @Test
    void publishWritesOneLineWithTheTimeFirst() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogSink sink = new LogSink(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        sink.publish(new MailEvent.Removed(T, ID));
        sink.publish(new MailEvent.Queued(T.plusSeconds(1), ID, "a@example.com", 1, 1, "local", "root"));
        assertEquals("2026-11-28T10:00:00Z removed id=1M1BDZPWL00RDFF by=operator" + System.lineSeparator()
                        + "2026-11-28T10:00:01Z queued id=1M1BDZPWL00RDFF from=<a@example.com> size=1 nrcpt=1 client=local"
                        + " sasl_username=root" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void operatorsActionsHaveLinesOfTheirOwn() {
        assertEquals("held id=1M1BDZPWL00RDFF by=operator",
                LogSink.format(new MailEvent.Held(T, ID, dev.petrel.mail.SendContext.EMPTY)));
        assertEquals("released id=1M1BDZPWL00RDFF by=operator",
                LogSink.format(new MailEvent.Released(T, ID, dev.petrel.mail.SendContext.EMPTY)));
        assertEquals("flush messages=3 by=operator", LogSink.format(new MailEvent.Flushed(T, 3)));
        assertEquals("unsubscribed id=1M1BDZPWL00RDFF to=<ann@example.com> tenant=acme stream=news",
                LogSink.format(new MailEvent.Unsubscribed(T, ID, "ann@example.com",
                        new dev.petrel.mail.SendContext("acme", "news", null, java.util.Map.of()))));
    }
}
