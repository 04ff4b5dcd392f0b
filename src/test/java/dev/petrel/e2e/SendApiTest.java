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

    // a 1x1 PNG
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    @BeforeAll
    static void start() throws Exception {
        api = new SendApiHome(scratch.newFolder("home"));
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

    /** The message.queued event of message {@code id} as the key's tenant reads it from /v1/events. */
    static JsonNode queuedEvent(String key, String id) throws Exception {
        return Poll.until(java.time.Duration.ofSeconds(10), "the queued event of " + id, () -> {
            SendApiHome.Answer events = api.send("GET", "/v1/events?after=0&limit=1000", key, null);
            for (JsonNode e : events.json().path("events")) {
                if (e.path("type").asText().equals("message.queued") && e.path("message_id").asText().equals(id)) {
                    return e;
                }
            }
            return null;
        });
    }
}
