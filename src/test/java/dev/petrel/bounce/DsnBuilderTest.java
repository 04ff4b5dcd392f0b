package dev.petrel.bounce;

import static dev.petrel.bounce.Fixtures.ARRIVAL;
import static dev.petrel.bounce.Fixtures.ORIGINAL;
import static dev.petrel.bounce.Fixtures.builder;
import static dev.petrel.bounce.Fixtures.delayed;
import static dev.petrel.bounce.Fixtures.envelope;
import static dev.petrel.bounce.Fixtures.failed;
import static dev.petrel.bounce.Fixtures.message;
import static dev.petrel.bounce.Fixtures.rcpt;
import static dev.petrel.bounce.Fixtures.relayed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.LineLimit;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Envelope.Ret;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Recipient.Notify;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DsnBuilderTest {

    private static final Recipient BOB = rcpt("bob@example.org");

    private static Dsn build(Envelope envelope, List<RecipientReport> reports) {
        return builder().build(message(envelope), reports).orElseThrow();
    }

    private static Fixtures.Read read(Envelope envelope, RecipientReport... reports) {
        return Fixtures.Read.of(build(envelope, List.of(reports)).content());
    }

    // --- the top-level header section (RFC 3464 2, RFC 6522 3, RFC 3834 5)

    static Stream<Arguments> topHeaders() {
        Envelope env = envelope("alice@sender.test", Ret.NONE, null, BOB);
        return Stream.of(
                // every kind: from the mailer daemon to the original sender, marked as an automatic reply
                Arguments.of(failed(BOB), "from", "\"Mail Delivery System\" <MAILER-DAEMON@mx.petrel.test>"),
                Arguments.of(failed(BOB), "to", "alice@sender.test"),
                Arguments.of(failed(BOB), "mime-version", "1.0"),
                Arguments.of(failed(BOB), "auto-submitted", "auto-replied"),
                Arguments.of(failed(BOB), "date", "Sat, 28 Nov 2026 10:00:00 +0000"),
                // the subject says which kind of report it is
                Arguments.of(failed(BOB), "subject", "Undelivered Mail Returned to Sender"),
                Arguments.of(delayed(BOB), "subject", "Delayed Mail (still being retried)"),
                Arguments.of(relayed(rcpt("bob@example.org", Set.of(Notify.SUCCESS), null)), "subject",
                        "Successful Mail Delivery Report"))
                .map(a -> Arguments.of(env, a.get()[0], a.get()[1], a.get()[2]));
    }

    @ParameterizedTest(name = "{2}: {3}")
    @MethodSource("topHeaders")
    void topLevelHeadersNameTheDaemonTheSenderAndTheKind(Envelope env, RecipientReport report, String name,
            String value) {
        assertEquals(value, read(env, report).header(name));
    }

    @Test
    void theReportIsAMultipartReportOfThreePartsWithAUniqueMessageId() {
        Fixtures.Read dsn = read(envelope("alice@sender.test", Ret.NONE, null, BOB), failed(BOB));
        assertTrue(dsn.header("content-type").startsWith("multipart/report; report-type=delivery-status; boundary=\""),
                dsn.header("content-type"));
        assertTrue(dsn.header("message-id").matches("<\\d+\\.0123456789BCDFGH\\.[0-9a-f]{16}@mx\\.petrel\\.test>"),
                dsn.header("message-id"));
        assertEquals(List.of("text/plain; charset=us-ascii", "message/delivery-status", "message/rfc822"),
                dsn.parts().stream().map(Fixtures.Part::type).toList());
    }

    // --- the delivery-status fields (RFC 3464 2.2, 2.3), by kind

    static Stream<Arguments> recipientFields() {
        return Stream.of(
                // a failure: the remote server's 550, no retry
                Arguments.of("failure", failed(BOB), Map.of(
                        "final-recipient", "rfc822; bob@example.org", "action", "failed", "status", "5.1.1",
                        "remote-mta", "dns; mx.example.org", "diagnostic-code", "smtp; 550 5.1.1 User unknown",
                        "last-attempt-date", "Sat, 28 Nov 2026 09:59:00 +0000"), List.of("will-retry-until")),
                // a delay: still trying until the message expires
                Arguments.of("delay", delayed(BOB), Map.of(
                        "action", "delayed", "status", "4.3.0", "diagnostic-code", "smtp; 451 4.3.0 Try again later",
                        "will-retry-until", "Thu, 3 Dec 2026 08:00:00 +0000"), List.of()),
                // a success to a server without DSN support: relayed
                Arguments.of("relayed", relayed(rcpt("bob@example.org", Set.of(Notify.SUCCESS), null)), Map.of(
                        "action", "relayed", "status", "2.0.0", "remote-mta", "dns; mx.example.org"),
                        List.of("will-retry-until")),
                // a local error: no remote MTA, Petrel's own diagnostic type
                Arguments.of("expired", RecipientReport.failed(BOB, new EnhancedStatus(4, 4, 7), null,
                        Diagnostic.local("connect to mx.example.org[192.0.2.9]:25: Connection refused"), null),
                        Map.of("action", "failed", "status", "4.4.7",
                                "diagnostic-code", "X-Petrel; connect to mx.example.org[192.0.2.9]:25: Connection refused"),
                        List.of("remote-mta", "last-attempt-date", "will-retry-until")),
                // nothing known but the status
                Arguments.of("bare", RecipientReport.failed(BOB, EnhancedStatus.BAD_DESTINATION_SYNTAX, null, null, null),
                        Map.of("final-recipient", "rfc822; bob@example.org", "status", "5.1.3"),
                        List.of("remote-mta", "diagnostic-code", "last-attempt-date", "original-recipient")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipientFields")
    void perRecipientFieldsReportTheOutcome(String name, RecipientReport report, Map<String, String> present,
            List<String> absent) {
        List<Map<String, String>> blocks = read(envelope("alice@sender.test", Ret.NONE, null, BOB), report).statusBlocks();
        assertEquals(2, blocks.size());
        Map<String, String> fields = blocks.get(1);
        present.forEach((field, value) -> assertEquals(value, fields.get(field), field));
        absent.forEach(field -> assertFalse(fields.containsKey(field), field));
    }

    @Test
    void perMessageFieldsNameTheReportingMtaAndTheArrival() {
        Map<String, String> perMessage = read(envelope("alice@sender.test", Ret.NONE, null, BOB), failed(BOB))
                .statusBlocks().getFirst();
        assertEquals("dns; mx.petrel.test", perMessage.get("reporting-mta"));
        assertEquals("Sat, 28 Nov 2026 08:00:00 +0000", perMessage.get("arrival-date"));
        assertEquals("0123456789BCDFGH", perMessage.get("x-petrel-queue-id"));
        assertFalse(perMessage.containsKey("original-envelope-id"));
    }

    // --- RFC 3461 ENVID and ORCPT: carried as the sender gave them, before xtext encoding

    static Stream<Arguments> envids() {
        return Stream.of(
                Arguments.of("QQ314159", "QQ314159"),
                // xtext "+2B" is "+" (RFC 3461 4)
                Arguments.of("QQ+2B314159", "QQ+314159"),
                // a decoded CR LF could not be carried in a field: the xtext stays as given
                Arguments.of("bad+0D+0Aid", "bad+0D+0Aid"));
    }

    @ParameterizedTest(name = "ENVID={0}")
    @MethodSource("envids")
    void originalEnvelopeIdIsTheDecodedEnvid(String envid, String field) {
        Map<String, String> perMessage = read(envelope("alice@sender.test", Ret.NONE, envid, BOB), failed(BOB))
                .statusBlocks().getFirst();
        assertEquals(field, perMessage.get("original-envelope-id"));
    }

    static Stream<Arguments> orcpts() {
        return Stream.of(
                Arguments.of("rfc822;bob@example.org", "rfc822;bob@example.org"),
                Arguments.of("rfc822;bob+2Bsales@example.org", "rfc822;bob+sales@example.org"),
                // RFC 6533: a UTF-8 ORCPT is already 7-bit; it is kept
                Arguments.of("utf-8;b\\x{F6}b@example.org", "utf-8;b\\x{F6}b@example.org"));
    }

    @ParameterizedTest(name = "ORCPT={0}")
    @MethodSource("orcpts")
    void originalRecipientComesFromOrcpt(String orcpt, String field) {
        Recipient bob = rcpt("bob@example.org", Set.of(), orcpt);
        Map<String, String> block = read(envelope("alice@sender.test", Ret.NONE, null, bob), failed(bob))
                .statusBlocks().get(1);
        assertEquals(field, block.get("original-recipient"));
    }

    // --- what of the original comes back (RFC 3461 4.3 RET; like Postfix, delays and successes: headers)

    static Stream<Arguments> returnedParts() {
        Recipient bobSuccess = rcpt("bob@example.org", Set.of(Notify.SUCCESS), null);
        long big = 10L * 1024 * 1024;
        return Stream.of(
                Arguments.of("failure, no RET", Ret.NONE, failed(BOB), big, "message/rfc822", true),
                Arguments.of("failure, RET=FULL", Ret.FULL, failed(BOB), big, "message/rfc822", true),
                Arguments.of("failure, RET=HDRS", Ret.HDRS, failed(BOB), big, "text/rfc822-headers", false),
                Arguments.of("delay, RET=FULL", Ret.FULL, delayed(BOB), big, "text/rfc822-headers", false),
                Arguments.of("success, RET=FULL", Ret.FULL, relayed(bobSuccess), big, "text/rfc822-headers", false),
                // over the size limit: headers only
                Arguments.of("failure over the limit", Ret.FULL, failed(BOB), 100L, "text/rfc822-headers", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("returnedParts")
    void thirdPartFollowsRetKindAndSize(String name, Ret ret, RecipientReport report, long limit, String type,
            boolean whole) {
        DsnBuilder b = new DsnBuilder(Fixtures.HOST, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), new Random(1), limit);
        Envelope env = envelope("alice@sender.test", ret, null, report.recipient());
        Fixtures.Read dsn = Fixtures.Read.of(b.build(message(env), List.of(report)).orElseThrow().content());
        Fixtures.Part part = dsn.parts().get(2);
        assertEquals(type, part.type());
        String headers = ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 2);
        assertEquals(whole ? ORIGINAL : headers, part.body());
    }

    // --- several recipients in one report

    @Test
    void oneReportCoversEveryRecipientInOrder() {
        Recipient carol = rcpt("carol@example.org", Set.of(Notify.FAILURE), "rfc822;carol@example.org");
        Recipient dave = rcpt("dave@example.net");
        Envelope env = envelope("alice@sender.test", Ret.NONE, null, BOB, carol, dave);
        Fixtures.Read dsn = read(env, failed(BOB), failed(carol), failed(dave));
        List<String> finals = dsn.statusBlocks().stream().skip(1).map(b -> b.get("final-recipient")).toList();
        assertEquals(List.of("rfc822; bob@example.org", "rfc822; carol@example.org", "rfc822; dave@example.net"), finals);
        assertEquals("rfc822;carol@example.org", dsn.statusBlocks().get(2).get("original-recipient"));
        String text = dsn.parts().getFirst().body();
        for (String who : List.of("bob@example.org", "carol@example.org", "dave@example.net")) {
            assertTrue(text.contains("<" + who + ">: host mx.example.org said: 550 5.1.1 User unknown"), text);
        }
    }

    // --- when there is no DSN at all (RFC 3461 4.1, 6.2)

    static Stream<Arguments> noDsn() {
        Recipient never = rcpt("bob@example.org", Set.of(Notify.NEVER), null);
        Recipient delayOnly = rcpt("bob@example.org", Set.of(Notify.DELAY), null);
        return Stream.of(
                // the null sender: a bounce of a bounce would loop
                Arguments.of("null sender", envelope(null, Ret.NONE, null, BOB), failed(BOB)),
                Arguments.of("NOTIFY=NEVER", envelope("alice@sender.test", Ret.NONE, null, never), failed(never)),
                Arguments.of("NOTIFY=DELAY, failure", envelope("alice@sender.test", Ret.NONE, null, delayOnly),
                        failed(delayOnly)),
                // no NOTIFY: no success report
                Arguments.of("no NOTIFY, success", envelope("alice@sender.test", Ret.NONE, null, BOB), relayed(BOB)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noDsn")
    void noDsnWhenNobodyWantsOne(String name, Envelope env, RecipientReport report) {
        assertEquals(Optional.empty(), builder().build(message(env), List.of(report)));
    }

    @Test
    void onlyRecipientsThatAskedAreReported() {
        Recipient never = rcpt("carol@example.org", Set.of(Notify.NEVER), null);
        Envelope env = envelope("alice@sender.test", Ret.NONE, null, BOB, never);
        List<Map<String, String>> blocks = read(env, failed(BOB), failed(never)).statusBlocks();
        assertEquals(2, blocks.size());
        assertEquals("rfc822; bob@example.org", blocks.get(1).get("final-recipient"));
    }

    // --- the DSN's own envelope and its line ends

    @Test
    void theDsnGoesFromTheNullPathToTheOriginalSender() {
        Dsn dsn = build(envelope("alice@sender.test", Ret.FULL, "ID1", BOB), List.of(failed(BOB)));
        assertEquals(DsnKind.FAILURE, dsn.kind());
        assertEquals(ReversePath.NULL, dsn.envelope().reversePath());
        assertEquals(List.of(Recipient.of(Address.of("alice@sender.test"))), dsn.envelope().recipients());
        assertEquals(Ret.NONE, dsn.envelope().ret());
        assertNull(dsn.envelope().envid());
        assertEquals(Envelope.BodyType.SEVEN_BIT, dsn.envelope().bodyType());
        assertFalse(dsn.envelope().smtpUtf8());
    }

    @Test
    void noBareLineEndsAndNoOverlongLinesEvenFromABadOriginalAndALongReply() {
        Envelope env = envelope("alice@sender.test", Ret.NONE, null, BOB);
        byte[] sloppy = "Subject: lf only\nX-Cr: bare\rcr\n\nbody\nline\r\nlast".getBytes(StandardCharsets.US_ASCII);
        String longText = "word ".repeat(400) + "x".repeat(1500);
        RecipientReport report = RecipientReport.failed(BOB, EnhancedStatus.BAD_DESTINATION_MAILBOX, "mx.example.org",
                Diagnostic.smtp(new Reply(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, List.of(longText, "second"))), null);
        byte[] content = builder().build(new OriginalMessage(Fixtures.ID, ARRIVAL, env, sloppy), List.of(report))
                .orElseThrow().content();
        String text = new String(content, StandardCharsets.US_ASCII);
        assertEquals(-1, text.replace("\r\n", "").indexOf('\n'));
        assertEquals(-1, text.replace("\r\n", "").indexOf('\r'));
        for (String line : text.split("\r\n")) {
            assertTrue(line.length() <= 998, "line of " + line.length());
        }
        assertTrue(text.contains("Subject: lf only\r\nX-Cr: bare\r\ncr\r\n\r\nbody\r\nline\r\nlast\r\n"), text);
    }

    // --- UTF-8 (RFC 6533): global types for SMTPUTF8 mail, never raw UTF-8 in an ASCII report

    @Test
    void utf8RecipientsGetTheGlobalReportTypes() {
        Recipient jose = new Recipient(Address.of("josé@example.org"), Set.of(), null);
        Envelope env = new Envelope(ReversePath.of(Address.of("zoë@sender.test")), List.of(jose),
                Envelope.BodyType.EIGHT_BIT_MIME, true, Ret.NONE, null, null, "192.0.2.7", null);
        Dsn dsn = build(env, List.of(failed(jose)));
        Fixtures.Read read = Fixtures.Read.of(dsn.content());
        assertTrue(read.header("content-type").startsWith("multipart/report; report-type=global-delivery-status;"));
        assertEquals(List.of("text/plain; charset=utf-8", "message/global-delivery-status", "message/global"),
                read.parts().stream().map(Fixtures.Part::type).toList());
        assertEquals("utf-8; josé@example.org", read.statusBlocks().get(1).get("final-recipient"));
        assertEquals("8bit", read.parts().get(1).headers().get("content-transfer-encoding"));
        assertTrue(dsn.envelope().smtpUtf8());
        assertEquals(Envelope.BodyType.EIGHT_BIT_MIME, dsn.envelope().bodyType());
    }

    @Test
    void anAsciiReportNeverCarriesRawNonAscii() {
        Envelope env = envelope("alice@sender.test", Ret.HDRS, null, BOB);
        RecipientReport report = RecipientReport.failed(BOB, EnhancedStatus.BAD_DESTINATION_MAILBOX, "mx.example.org",
                Diagnostic.smtp(Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "Benutzer unbekannt: Müller")), null);
        Dsn dsn = build(env, List.of(report));
        String status = Fixtures.Read.of(dsn.content()).parts().get(1).body();
        assertTrue(status.contains("Diagnostic-Code: smtp; 550 5.1.1 Benutzer unbekannt: M?ller"), status);
        assertEquals(Envelope.BodyType.SEVEN_BIT, dsn.envelope().bodyType());
    }

    @Test
    void utf8AddressesInAnAsciiReportAreEncoded() {
        StatusFields ascii = new StatusFields(Fixtures.HOST, false);
        assertEquals("utf-8; jos\\x{E9}@example.org", ascii.typedAddress(Address.of("josé@example.org")));
        assertEquals("rfc822; bob@example.org", ascii.typedAddress(Address.of("bob@example.org")));
    }

    @Test
    void anEightBitOriginalIsReturnedAs8bitAndTheDsnAsks8BitMime() {
        Envelope env = new Envelope(ReversePath.of(Address.of("alice@sender.test")), List.of(BOB),
                Envelope.BodyType.EIGHT_BIT_MIME, false, Ret.NONE, null, null, "192.0.2.7", null);
        byte[] latin = "Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Dsn dsn = builder().build(new OriginalMessage(Fixtures.ID, ARRIVAL, env, latin), List.of(failed(BOB))).orElseThrow();
        Fixtures.Read read = Fixtures.Read.of(dsn.content());
        assertEquals("message/rfc822", read.parts().get(2).type());
        assertEquals("8bit", read.parts().get(2).headers().get("content-transfer-encoding"));
        assertFalse(read.parts().get(1).headers().containsKey("content-transfer-encoding"));
        assertEquals(Envelope.BodyType.EIGHT_BIT_MIME, dsn.envelope().bodyType());
    }

    @Test
    void aBinaryMimeOriginalReturnsOnlyItsHeaders() {
        Envelope env = new Envelope(ReversePath.of(Address.of("alice@sender.test")), List.of(BOB),
                Envelope.BodyType.BINARY_MIME, false, Ret.FULL, null, null, "192.0.2.7", null);
        Fixtures.Read read = Fixtures.Read.of(build(env, List.of(failed(BOB))).content());
        assertEquals("text/rfc822-headers", read.parts().get(2).type());
    }

    // RFC 8689 5: a REQUIRETLS message is returned as if RET=HDRS, even with RET=FULL, in a notice tagged REQUIRETLS
    @Test
    void aRequireTlsMessageIsReturnedWithItsHeadersOnlyInATaggedNotice() {
        Envelope env = envelope("alice@sender.test", Ret.FULL, null, BOB).withRequireTls(true);
        RecipientReport report = RecipientReport.failed(BOB, EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED,
                "mx.example.org", Diagnostic.smtp(Reply.of(550, EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED,
                        "REQUIRETLS support required: the server does not offer REQUIRETLS")), null);
        Dsn dsn = build(env, List.of(report));
        Fixtures.Read read = Fixtures.Read.of(dsn.content());
        assertEquals("text/rfc822-headers", read.parts().get(2).type());
        assertTrue(read.parts().get(1).body().contains("Status: 5.7.30"), read.parts().get(1).body());
        assertTrue(dsn.envelope().requireTls(), "the notice is tagged too");
        assertTrue(dsn.envelope().reversePath().isNull());
        // untagged, the same failure returns the whole message
        Dsn plain = build(envelope("alice@sender.test", Ret.FULL, null, BOB), List.of(report));
        assertEquals("message/rfc822", Fixtures.Read.of(plain.content()).parts().get(2).type());
        assertFalse(plain.envelope().requireTls());
    }

    // RFC 5322 2.1.1: a DSN never carries a line over 998 octets, or the sender's server refuses it too (issue 18):
    // an original with a long line (queued before intake made lines fit) returns its headers only, folded
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("longLineOriginals")
    void anOriginalWithALongLineReturnsOnlyItsHeadersAndNoLineOfTheDsnIsLong(String what, String content) {
        OriginalMessage original = new OriginalMessage(Fixtures.ID, ARRIVAL,
                envelope("alice@sender.test", Ret.FULL, null, BOB), content.getBytes(StandardCharsets.UTF_8));
        Dsn dsn = builder().build(original, List.of(failed(BOB))).orElseThrow();
        assertFalse(LineLimit.exceeded(dsn.content()), what);
        Fixtures.Read read = Fixtures.Read.of(dsn.content());
        assertEquals("text/rfc822-headers", read.parts().get(2).type());
        assertTrue(read.parts().get(2).body().contains("Subject: long\r\n"), read.parts().get(2).body());
        assertFalse(read.parts().get(2).body().contains("xxxx"), "no body returned");
    }

    static Stream<Arguments> longLineOriginals() {
        String headers = "From: <alice@sender.test>\r\nTo: <bob@example.org>\r\nSubject: long\r\n";
        return Stream.of(
                Arguments.of("a long body line", headers + "\r\n" + "x".repeat(5000) + "\r\n"),
                Arguments.of("a long body line and a long header field",
                        headers + "References: " + "<a@b> ".repeat(400) + "\r\n\r\n" + "x".repeat(100_000) + "\r\n"));
    }

    // --- the caller's mistakes

    static Stream<Arguments> badInput() {
        Function<List<RecipientReport>, Runnable> build = reports -> () ->
                builder().build(message(envelope("alice@sender.test", Ret.NONE, null, BOB)), reports);
        return Stream.of(
                Arguments.of("no recipients", build.apply(List.of())),
                Arguments.of("mixed kinds", build.apply(List.of(failed(BOB), delayed(BOB)))),
                Arguments.of("a 5xx delay", (Runnable) () -> RecipientReport.delayed(BOB,
                        EnhancedStatus.BAD_DESTINATION_MAILBOX, null, null, null, null)),
                Arguments.of("a 2xx failure", (Runnable) () -> RecipientReport.failed(BOB,
                        EnhancedStatus.DESTINATION_VALID, null, null, null)),
                Arguments.of("retry date on a failure", (Runnable) () -> new RecipientReport(BOB, Action.FAILED,
                        EnhancedStatus.BAD_DESTINATION_MAILBOX, null, null, null, Fixtures.GIVE_UP)),
                Arguments.of("success helper with a failure", (Runnable) () -> RecipientReport.succeeded(BOB,
                        Action.FAILED, EnhancedStatus.BAD_DESTINATION_MAILBOX, null, null, null)),
                Arguments.of("bad host name", (Runnable) () -> new DsnBuilder("bad host", Clock.systemUTC(), new Random())),
                Arguments.of("diagnostic on two lines", (Runnable) () -> Diagnostic.local("a\r\nb")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void mistakesAreRefused(String name, Runnable call) {
        assertThrows(IllegalArgumentException.class, call::run);
    }
}
