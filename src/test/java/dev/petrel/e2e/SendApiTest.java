package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.queue.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/messages}, {@code /batch} and {@code /raw} on a real server process, driven by curl and by Java's
 * HttpClient: the queued message read back by Python's email package and checked by dkimpy, each recipient's result,
 * the tenant, stream, tag and metadata in the queued event.
 */
class SendApiTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static SendApiHome api;
    private static final String ALICE = "alice@maildir.e2e.test";

    // a 1x1 PNG
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    @BeforeAll
    static void start() throws Exception {
        api = new SendApiHome(scratch.newFolder("home")).withMailbox(ALICE);
        api.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        api.stop();
    }

    @Test
    void aComposedMessageIsQueuedSignedAndReadableWithEachRecipientsResult() throws Exception {
        String body = """
                {"from": "Ann Example <ann@acme.test>",
                 "to": ["Bob <bob@remote.test>", "not an address", "carol@remote.test"],
                 "cc": "Dan <dan@remote.test>", "bcc": ["eve@remote.test"], "reply_to": "help@acme.test",
                 "subject": "Your receipt — №42", "text": "Thanks for your order.", "html": "<p>Thanks <img src=\\"cid:logo\\"></p>",
                 "headers": {"X-Order": "42"},
                 "attachments": [{"name": "logo.png", "content_type": "image/png", "content": "%s", "content_id": "logo"},
                                 {"name": "reçu.pdf", "content_type": "application/pdf", "content": "JVBERi0xLjQK"}],
                 "stream": "receipts", "tag": "receipt", "metadata": {"order": "42"}}
                """.formatted(PNG);
        Path file = Files.writeString(api.home.dir().resolve("send.json"), body);
        HttpClientCurl.Response r = api.curl.send("POST", "/v1/messages", api.acmeKey, "@" + file);
        assertEquals(200, r.status(), r.describe());
        JsonNode answer = r.json();
        String id = answer.path("message_id").asText();
        List<String> results = java.util.stream.StreamSupport.stream(answer.path("recipients").spliterator(), false)
                .map(n -> n.path("address").asText() + " " + n.path("status").asText() + " "
                        + n.path("reason").asText(n.path("message_id").asText())).toList();
        assertEquals(List.of("bob@remote.test accepted " + id, "not an address refused invalid_address",
                "carol@remote.test accepted " + id, "dan@remote.test accepted " + id, "eve@remote.test accepted " + id),
                results, r.describe());

        StoredMessage queued = api.home.readPresent(id);
        assertEquals(List.of("bob@remote.test", "carol@remote.test", "dan@remote.test", "eve@remote.test"),
                queued.message().envelope().recipients().stream().map(x -> x.address().toString()).toList());
        assertEquals("ann@acme.test", queued.message().envelope().reversePath().toString());
        JsonNode mime = api.python(queued.content());
        assertEquals("multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),"
                + "application/pdf)", mime.path("structure").asText());
        assertEquals("Your receipt — №42", mime.path("subject").asText());
        assertEquals("Ann Example", mime.path("from").path(0).path("name").asText());
        assertEquals(2, mime.path("to").size(), mime.toString());
        assertFalse(mime.path("has_bcc").asBoolean(), "Bcc is in no header");
        assertEquals("reçu.pdf", mime.path("attachments").path(1).path("filename").asText());
        assertEquals(0, mime.path("defects").size(), mime.toString());
        assertTrue(mime.path("max_line").asInt() <= 998);
        String text = new String(queued.content(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\r\nX-Order: 42\r\n"), text);
        assertTrue(text.matches("(?s).*Received: from unknown \\(\\[127\\.0\\.0\\.1]\\)\r\n\tby mx\\.e2e\\.test \\(Petrel\\)"
                + " with HTTP id " + id + ";.*"), text);
        assertEquals(List.of("pass"), api.dkimpy(queued.content()));

        JsonNode queuedEvent = queuedEvent(api.acmeKey, id);
        assertEquals("acme", queuedEvent.path("tenant").asText());
        assertEquals("receipts", queuedEvent.path("stream").asText());
        assertEquals("receipt", queuedEvent.path("tag").asText());
        assertEquals(Map.of("order", "42"), SendApiHome.JSON.convertValue(queuedEvent.path("metadata"), Map.class));
    }

    @Test
    void aMessageDeliveredToAMailboxIsToldOfAsDeliveredWithItsReplyAndArrivesIntact() throws Exception {
        SendApiHome.Answer sent = api.post("/v1/messages", api.acmeKey, Map.of("from", "ann@acme.test", "to", ALICE,
                "subject", "to the sink", "text", "Hello Alice,\nline two.", "tag", "sink"));
        assertEquals(200, sent.status(), sent.toString());
        String id = sent.json().path("message_id").asText();
        JsonNode status = Poll.until(java.time.Duration.ofSeconds(30), "message " + id + " delivered", () -> {
            SendApiHome.Answer r = api.send("GET", "/v1/messages/" + id, api.acmeKey, null);
            assertEquals(200, r.status(), r.toString());
            return r.json().path("recipients").path(0).path("state").asText().equals("delivered") ? r.json() : null;
        });
        assertEquals("ann@acme.test", status.path("from").asText());
        assertEquals("sink", status.path("tag").asText());
        assertEquals(ALICE, status.path("recipients").path(0).path("address").asText());
        assertEquals("2.0.0", status.path("recipients").path(0).path("status").asText(), status.toString());
        assertTrue(status.path("recipients").path(0).path("reply").asText().startsWith("250 "), status.toString());
        Path mailbox = api.home.dataDir().resolve("mail/maildir.e2e.test/alice/new");
        byte[] delivered;
        try (var files = Files.list(mailbox)) {
            delivered = Files.readAllBytes(files.findFirst().orElseThrow());
        }
        JsonNode mime = api.python(delivered);
        assertEquals("text/plain", mime.path("structure").asText());
        assertEquals("Hello Alice,\nline two.", mime.path("text").asText().replace("\r\n", "\n").strip());
        assertEquals(List.of("pass"), api.dkimpy(delivered));
        // the delivered event carries the message's send context too
        JsonNode deliveredEvent = event(api.acmeKey, "message.delivered", id);
        assertEquals("acme", deliveredEvent.path("tenant").asText());
        assertEquals("sink", deliveredEvent.path("tag").asText());
        assertEquals(ALICE, deliveredEvent.path("recipient").asText());
        // once done, the message has left the queue and the log still tells of it
        Poll.until(java.time.Duration.ofSeconds(10), "the message out of the queue", () ->
                api.send("GET", "/v1/messages/" + id, api.acmeKey, null).json().path("state").asText().equals("done")
                        ? true : null);
    }

    @Test
    void aRawMessageGoesWithItsEnvelopeAsTextOrBase64AndKeepsItsOwnLabels() throws Exception {
        String raw = "From: Ann <ann@acme.test>\nTo: someone@remote.test\nSubject: raw\nX-Petrel-Tag: from-header\n"
                + "X-Petrel-Metadata-Batch: 7\n\nA raw body, caf\u00e9.\n";
        api.consent(api.acmeKey, "x@remote.test", "y@remote.test");
        HttpClientCurl.Response text = api.curl.send("POST", "/v1/messages/raw", api.acmeKey, SendApiHome.JSON
                .writeValueAsString(Map.of("from", "bounces@acme.test", "to", List.of("x@remote.test", "y@remote.test"),
                        "message", raw, "stream", "news")));
        assertEquals(200, text.status(), text.describe());
        String id = text.json().path("message_id").asText();
        StoredMessage queued = api.home.readPresent(id);
        assertEquals("bounces@acme.test", queued.message().envelope().reversePath().toString());
        // news is a broadcast stream: one message per recipient, each with its own unsubscribe link
        assertEquals(List.of("x@remote.test"), queued.message().envelope().recipients().stream()
                .map(r -> r.address().toString()).toList());
        assertEquals("y@remote.test", api.home.readPresent(text.json().path("recipients").path(1).path("message_id")
                .asText()).message().envelope().recipients().getFirst().address().toString());
        String content = new String(queued.content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Subject: raw\r\n"), content);
        assertFalse(content.contains("X-Petrel"), "Petrel's headers are gone before signing: " + content);
        // the unsubscribe footer re-encoded the text (quoted-printable, UTF-8); decoded it is as sent
        assertTrue(dev.petrel.mail.TextParts.contains(queued.content(), "A raw body, café.\r\n"), content);
        assertEquals(List.of("pass"), api.dkimpy(queued.content()));
        JsonNode event = queuedEvent(api.acmeKey, id);
        assertEquals("news", event.path("stream").asText());
        assertEquals("from-header", event.path("tag").asText());
        assertEquals("7", event.path("metadata").path("Batch").asText());

        String encoded = Base64.getEncoder().encodeToString(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        SendApiHome.Answer base64 = api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "ann@acme.test",
                "to", "z@remote.test", "message_base64", encoded, "tag", "from-json"));
        assertEquals(200, base64.status(), base64.toString());
        assertEquals("from-json", queuedEvent(api.acmeKey, base64.json().path("message_id").asText()).path("tag")
                .asText(), "the request's tag wins over the header's");
    }

    @Test
    void aBatchSendsEachMessageWithItsOwnResult() throws Exception {
        List<Object> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            messages.add(Map.of("from", "ann@acme.test", "to", "r" + i + "@remote.test", "subject", "batch " + i,
                    "text", "message " + i));
        }
        messages.add(Map.of("from", "ann@bravo.test", "to", "x@remote.test", "text", "another tenant's domain"));
        messages.add(Map.of("from", "ann@acme.test", "to", "x@remote.test", "text", "x", "colour", "blue"));
        SendApiHome.Answer r = api.post("/v1/messages/batch", api.acmeKey, Map.of("messages", messages));
        assertEquals(200, r.status(), r.toString());
        JsonNode results = r.json().path("results");
        assertEquals(42, results.size());
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            assertEquals(200, results.path(i).path("status").asInt(), results.path(i).toString());
            assertEquals("r" + i + "@remote.test", results.path(i).path("recipients").path(0).path("address").asText());
            ids.add(results.path(i).path("message_id").asText());
            String content = new String(api.home.readPresent(results.path(i).path("message_id").asText()).content(),
                    StandardCharsets.US_ASCII);
            assertTrue(content.contains("Subject: batch " + i + "\r\n"), content);
        }
        assertEquals(40, ids.size(), "one message each");
        assertEquals(422, results.path(40).path("status").asInt());
        assertEquals("sender_not_allowed", results.path(40).path("error").path("code").asText());
        assertEquals(400, results.path(41).path("status").asInt());
        assertEquals("unknown_field", results.path(41).path("error").path("code").asText());
        assertTrue(results.path(41).path("error").path("message").asText().startsWith("unknown field \"colour\""),
                results.path(41).toString());
    }

    @Test
    void eachKeySeesOnlyItsTenantsEventsAndAnAdminTokenThoseOfDefault() throws Exception {
        String acme = api.post("/v1/messages", api.acmeKey, Map.of("from", "ann@acme.test", "to", "a@remote.test",
                "text", "acme's")).json().path("message_id").asText();
        String bravo = api.post("/v1/messages", api.bravoKey, Map.of("from", "bob@bravo.test", "to", "b@remote.test",
                "text", "bravo's")).json().path("message_id").asText();
        queuedEvent(api.acmeKey, acme);
        queuedEvent(api.bravoKey, bravo);
        for (String[] who : new String[][] {{api.acmeKey, "acme"}, {api.bravoKey, "bravo"}, {api.adminToken, "default"}}) {
            SendApiHome.Answer events = api.send("GET", "/v1/events?after=0&limit=1000", who[0], null);
            assertEquals(200, events.status(), events.toString());
            for (JsonNode e : events.json().path("events")) {
                String tenant = e.path("tenant").isNull() ? "default" : e.path("tenant").asText();
                assertEquals(who[1], tenant, e.toString());
                assertFalse(who[1].equals("acme") && e.path("message_id").asText().equals(bravo));
            }
        }
    }

    /** The message.queued event of message {@code id} as the key's tenant reads it from /v1/events. */
    static JsonNode queuedEvent(String key, String id) throws Exception {
        return api.event(key, "message.queued", id);
    }

    static JsonNode event(String key, String type, String id) throws Exception {
        return api.event(key, type, id);
    }
}
