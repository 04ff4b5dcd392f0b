package dev.petrel.bounce;

import static dev.petrel.bounce.Fixtures.builder;
import static dev.petrel.bounce.Fixtures.delayed;
import static dev.petrel.bounce.Fixtures.envelope;
import static dev.petrel.bounce.Fixtures.failed;
import static dev.petrel.bounce.Fixtures.message;
import static dev.petrel.bounce.Fixtures.rcpt;
import static dev.petrel.bounce.Fixtures.relayed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.Envelope.Ret;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Recipient.Notify;
import dev.petrel.mail.ReversePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built DSNs read by a MIME parser Petrel did not write: Python's {@code email} package, through
 * {@code src/test/resources/bounce/parse_dsn.py}. Python 3 is a test dependency (.ci/run installs it); without
 * it these tests fail rather than skip.
 */
class DsnParseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private JsonNode parse(Dsn dsn) throws IOException, InterruptedException, java.net.URISyntaxException {
        Path file = dir.resolve("dsn.eml");
        Files.write(file, dsn.content());
        Path script = Path.of(DsnParseTest.class.getResource("/bounce/parse_dsn.py").toURI());
        Process python = new ProcessBuilder("python3", script.toString(), file.toString())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        byte[] out = python.getInputStream().readAllBytes();
        assertTrue(python.waitFor(10, TimeUnit.SECONDS), "python3 timed out");
        assertEquals(0, python.exitValue(), () -> "python3 failed: " + read(dir.resolve("stderr.txt")));
        return JSON.readTree(out);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void assertWellFormed(JsonNode dsn, String reportType, List<String> parts) {
        assertEquals("multipart/report", dsn.get("content_type").asText());
        assertEquals(reportType, dsn.get("report_type").asText());
        assertEquals(parts, strings(dsn.get("parts")));
        assertEquals(List.of(), strings(dsn.get("defects")), "parser defects");
        assertEquals(0, dsn.get("bare_line_ends").asInt());
        assertEquals("auto-replied", dsn.get("auto_submitted").asText());
        assertTrue(dsn.get("has_date").asBoolean());
        assertTrue(dsn.get("has_message_id").asBoolean());
        assertTrue(dsn.get("from").asText().contains("MAILER-DAEMON@mx.petrel.test"), dsn.get("from").asText());
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void aFailureWithTwoRecipientsParsesAsThreePartsWithTheWholeMessage() throws Exception {
        Recipient bob = rcpt("bob@example.org");
        Recipient carol = rcpt("carol@example.org", Set.of(Notify.FAILURE), "rfc822;carol+2Bx@example.org");
        Envelope env = envelope("alice@sender.test", Ret.NONE, "QQ+2B314159", bob, carol);
        JsonNode dsn = parse(builder().build(message(env), List.of(failed(bob), failed(carol))).orElseThrow());

        assertWellFormed(dsn, "delivery-status", List.of("text/plain", "message/delivery-status", "message/rfc822"));
        assertEquals("alice@sender.test", dsn.get("to").asText());
        assertEquals("Undelivered Mail Returned to Sender", dsn.get("subject").asText());
        JsonNode perMessage = dsn.get("per_message");
        assertEquals("dns; mx.petrel.test", perMessage.get("reporting-mta").asText());
        assertEquals("QQ+314159", perMessage.get("original-envelope-id").asText());
        assertEquals("Sat, 28 Nov 2026 08:00:00 +0000", perMessage.get("arrival-date").asText());
        JsonNode recipients = dsn.get("recipients");
        assertEquals(2, recipients.size());
        assertEquals("rfc822; bob@example.org", recipients.get(0).get("final-recipient").asText());
        assertEquals("rfc822;carol+x@example.org", recipients.get(1).get("original-recipient").asText());
        for (JsonNode r : recipients) {
            assertEquals("failed", r.get("action").asText());
            assertEquals("5.1.1", r.get("status").asText());
            assertEquals("dns; mx.example.org", r.get("remote-mta").asText());
            assertEquals("smtp; 550 5.1.1 User unknown", r.get("diagnostic-code").asText());
        }
        assertEquals("Quarterly report", dsn.get("returned_subject").asText());
        assertEquals("Hello Bob,\r\nthe figures are attached.\r\n", dsn.get("returned_body").asText());
        assertTrue(dsn.get("text").asText().contains("<carol@example.org>: host mx.example.org said: 550"));
    }

    @Test
    void retHdrsReturnsOnlyTheHeaderSection() throws Exception {
        Recipient bob = rcpt("bob@example.org");
        JsonNode dsn = parse(builder().build(message(envelope("alice@sender.test", Ret.HDRS, null, bob)),
                List.of(failed(bob))).orElseThrow());
        assertWellFormed(dsn, "delivery-status", List.of("text/plain", "message/delivery-status", "text/rfc822-headers"));
        assertEquals("Quarterly report", dsn.get("returned_subject").asText());
    }

    @Test
    void aDelayNoticeCarriesWillRetryUntilAndTheHeaders() throws Exception {
        Recipient bob = rcpt("bob@example.org");
        JsonNode dsn = parse(builder().build(message(envelope("alice@sender.test", Ret.FULL, null, bob)),
                List.of(delayed(bob))).orElseThrow());
        assertWellFormed(dsn, "delivery-status", List.of("text/plain", "message/delivery-status", "text/rfc822-headers"));
        assertEquals("Delayed Mail (still being retried)", dsn.get("subject").asText());
        JsonNode r = dsn.get("recipients").get(0);
        assertEquals("delayed", r.get("action").asText());
        assertEquals("4.3.0", r.get("status").asText());
        assertEquals("Thu, 3 Dec 2026 08:00:00 +0000", r.get("will-retry-until").asText());
        assertEquals("Quarterly report", dsn.get("returned_subject").asText());
    }

    @Test
    void aSuccessReportSaysRelayed() throws Exception {
        Recipient bob = rcpt("bob@example.org", Set.of(Notify.SUCCESS, Notify.FAILURE), null);
        JsonNode dsn = parse(builder().build(message(envelope("alice@sender.test", Ret.NONE, null, bob)),
                List.of(relayed(bob))).orElseThrow());
        assertWellFormed(dsn, "delivery-status", List.of("text/plain", "message/delivery-status", "text/rfc822-headers"));
        assertEquals("Successful Mail Delivery Report", dsn.get("subject").asText());
        assertEquals("relayed", dsn.get("recipients").get(0).get("action").asText());
        assertEquals("2.0.0", dsn.get("recipients").get(0).get("status").asText());
    }

    @Test
    void aUtf8MessageGetsAGlobalReportThatStillParses() throws Exception {
        Recipient jose = new Recipient(Address.of("josé@example.org"), Set.of(), null);
        Envelope env = new Envelope(ReversePath.of(Address.of("zoë@sender.test")), List.of(jose),
                Envelope.BodyType.EIGHT_BIT_MIME, true, Ret.NONE, null, null, "192.0.2.7", null);
        byte[] content = "Subject: Grüße\r\nFrom: zoë@sender.test\r\n\r\nHallo José\r\n".getBytes(StandardCharsets.UTF_8);
        OriginalMessage original = new OriginalMessage(Fixtures.ID, Fixtures.ARRIVAL, env, content);
        JsonNode dsn = parse(builder().build(original, List.of(failed(jose))).orElseThrow());
        assertWellFormed(dsn, "global-delivery-status",
                List.of("text/plain", "message/global-delivery-status", "message/global"));
        assertEquals("zoë@sender.test", dsn.get("to").asText());
        assertEquals("utf-8; josé@example.org", dsn.get("recipients").get(0).get("final-recipient").asText());
        assertEquals("Grüße", dsn.get("returned_subject").asText());
        assertEquals("Hallo José\r\n", dsn.get("returned_body").asText());
        assertTrue(dsn.get("text").asText().contains("<josé@example.org>: host mx.example.org said:"));
    }
}
