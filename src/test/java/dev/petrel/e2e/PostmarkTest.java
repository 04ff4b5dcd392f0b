package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.queue.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Postmark-compatible API on a real server process, driven by Postmark's official Node.js client library (npm
 * package postmark, src/test/resources/postmark/send.js) pointed at Petrel by its host alone (SendApiReadmeTest runs
 * the README's first send with it), and by raw requests for the refusals the library does not make: the queued
 * message read back by Python's email package, each answer and each error in Postmark's shape.
 */
class PostmarkTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String SUPPRESSED = "gone@remote.test";

    private static SendApiHome api;
    private static PostmarkLibrary library;
    private static Instant started;
    private static JsonNode run;

    @BeforeAll
    static void start() throws Exception {
        library = PostmarkLibrary.install();
        api = new SendApiHome(scratch.newFolder("home"));
        api.home.petrelOk(null, "suppression", "add", "acme", SUPPRESSED);
        api.start();
        started = Instant.now();
        ObjectNode plan = SendApiHome.JSON.createObjectNode().put("host", host()).put("token", api.acmeKey)
                .put("from", "Ann Example <ann@acme.test>").put("to", "Bob <bob@remote.test>")
                .put("cc", "carol@remote.test").put("bcc", "dan@remote.test").put("stream", "receipts")
                .put("suppressed", SUPPRESSED);
        run = library.send(api.home.dir(), plan);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        api.stop();
    }

    private static String host() {
        return "127.0.0.1:" + api.server.port("http");
    }

    @Test
    void theLibrarySendsAMessageWithFilesAndPetrelQueuesItAsAsked() throws Exception {
        JsonNode answer = run.path("single").path("answer");
        assertEquals(0, answer.path("ErrorCode").asInt(-1), run.toString());
        assertEquals("OK", answer.path("Message").asText());
        assertEquals("Bob <bob@remote.test>", answer.path("To").asText());
        Instant submitted = Instant.parse(answer.path("SubmittedAt").asText());
        assertTrue(!submitted.isBefore(started.minusSeconds(5)) && !submitted.isAfter(Instant.now()), submitted + "");

        String id = answer.path("MessageID").asText();
        StoredMessage queued = api.home.readPresent(id);
        assertEquals("ann@acme.test", queued.message().envelope().reversePath().toString());
        assertEquals(List.of("bob@remote.test", "carol@remote.test", "dan@remote.test"),
                queued.message().envelope().recipients().stream().map(r -> r.address().toString()).toList());
        JsonNode mime = api.python(queued.content());
        assertEquals("multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),"
                + "application/pdf)", mime.path("structure").asText());
        assertEquals("Your receipt", mime.path("subject").asText());
        assertEquals("Ann Example", mime.path("from").path(0).path("name").asText());
        assertEquals(1, mime.path("cc").size(), mime.toString());
        assertFalse(mime.path("has_bcc").asBoolean(), "Bcc is in no header");
        assertEquals("receipt.pdf", mime.path("attachments").path(1).path("filename").asText(), mime.toString());
        assertEquals(0, mime.path("defects").size(), mime.toString());
        assertTrue(mime.path("html").asText().contains("cid:logo.png"), mime.toString());
        assertTrue(new String(queued.content(), StandardCharsets.UTF_8).contains("\r\nX-Order: 42\r\n"));
        assertEquals(List.of("pass"), api.dkimpy(queued.content()));

        // the MessageID is the one Petrel's own API knows, for this tenant only
        SendApiHome.Answer status = api.send("GET", "/v1/messages/" + id, api.acmeKey, null);
        assertEquals(200, status.status(), status.toString());
        assertEquals(id, status.json().path("message_id").asText());
        assertEquals(List.of("bob@remote.test", "carol@remote.test", "dan@remote.test"), texts(
                status.json().path("recipients"), "address"));
        assertEquals(404, api.send("GET", "/v1/messages/" + id, api.bravoKey, null).status());

        JsonNode event = api.queuedEvent(api.acmeKey, id);
        assertEquals("acme", event.path("tenant").asText());
        assertEquals("receipts", event.path("stream").asText());
        assertEquals("receipt", event.path("tag").asText());
        assertEquals(Map.of("order", "42"), SendApiHome.JSON.convertValue(event.path("metadata"), Map.class));
    }

    @Test
    void theLibrarysBatchGetsOneResultPerMessageInOrder() throws Exception {
        JsonNode results = run.path("batch").path("answer");
        assertEquals(3, results.size(), run.toString());
        assertEquals(List.of(0, 300, 0), List.of(results.get(0).path("ErrorCode").asInt(),
                results.get(1).path("ErrorCode").asInt(), results.get(2).path("ErrorCode").asInt()));
        assertTrue(results.get(1).path("Message").asText().startsWith("To: "), results.toString());
        assertEquals(List.of("ErrorCode", "Message"), names(results.get(1)));

        JsonNode first = api.queuedEvent(api.acmeKey, results.get(0).path("MessageID").asText());
        assertEquals("batch", first.path("tag").asText());
        // Postmark's default stream is the key's own: this key is for every stream, so none
        JsonNode third = api.queuedEvent(api.acmeKey, results.get(2).path("MessageID").asText());
        assertTrue(third.path("stream").isNull() || third.path("stream").isMissingNode(), third.toString());
        assertEquals(List.of("carol@remote.test"), api.home.readPresent(results.get(2).path("MessageID").asText())
                .message().envelope().recipients().stream().map(r -> r.address().toString()).toList());
    }

    @Test
    void theLibraryReadsPetrelsRefusalsAsItsOwnErrors() {
        JsonNode badToken = run.path("badToken").path("error");
        assertEquals("InvalidAPIKeyError", badToken.path("class").asText(), run.toString());
        assertEquals(10, badToken.path("code").asInt());
        assertEquals(401, badToken.path("statusCode").asInt());

        JsonNode invalidFrom = run.path("invalidFrom").path("error");
        assertEquals("InvalidEmailRequestError", invalidFrom.path("class").asText(), run.toString());
        assertEquals(300, invalidFrom.path("code").asInt());
        assertEquals(422, invalidFrom.path("statusCode").asInt());
        assertTrue(invalidFrom.path("message").asText().startsWith("From: "), invalidFrom.toString());
    }

    @Test
    void aSuppressedRecipientIsTheLibrarysInactiveRecipientsError() {
        JsonNode suppressed = run.path("suppressed").path("error");
        assertEquals("InactiveRecipientsError", suppressed.path("class").asText(), run.toString());
        assertEquals(406, suppressed.path("code").asInt());
        assertEquals(422, suppressed.path("statusCode").asInt());
        assertEquals(List.of(SUPPRESSED), texts(suppressed.path("recipients")), suppressed.toString());
        assertTrue(suppressed.path("message").asText().startsWith("No recipient was sent to. Found inactive addresses: "
                + SUPPRESSED + "."), suppressed.toString());
    }

    /** A request the library would not make, its HTTP status and Postmark's error code. */
    private record Refusal(String what, String path, String token, String body, int status, int errorCode,
                           String message) {}

    private static final String OK_BODY = "{\"From\": \"a@acme.test\", \"To\": \"b@remote.test\", \"TextBody\": \"x\"";

    @Test
    void eachRefusalHasPostmarksStatusAndErrorCode() throws Exception {
        List<Refusal> refusals = List.of(
            new Refusal("no token", "/email", null, OK_BODY + "}", 401, 10, "X-Postmark-Server-Token"),
            new Refusal("an admin token", "/email", api.adminToken, OK_BODY + "}", 401, 10, "not valid"),
            new Refusal("not JSON", "/email", api.acmeKey, OK_BODY, 422, 402, "malformed JSON"),
            new Refusal("To as an array", "/email", api.acmeKey,
                    "{\"From\": \"a@acme.test\", \"To\": [\"b@remote.test\"], \"TextBody\": \"x\"}", 422, 403, "at To"),
            new Refusal("a batch that is no array", "/email/batch", api.acmeKey, OK_BODY + "}", 422, 403,
                    "must be a JSON array of messages"),
            new Refusal("an empty batch", "/email/batch", api.acmeKey, "[]", 422, 300, "no message"),
            new Refusal("a batch of 501", "/email/batch", api.acmeKey, batchOf(501), 422, 410, "501 messages"),
            new Refusal("another tenant's From", "/email", api.acmeKey,
                    "{\"From\": \"x@bravo.test\", \"To\": \"b@remote.test\", \"TextBody\": \"x\"}", 422, 400,
                    "bravo.test"),
            new Refusal("a stream the key may not use", "/email", api.receiptsKey,
                    OK_BODY + ", \"MessageStream\": \"news\"}", 422, 405, "only on stream receipts"),
            new Refusal("an unknown stream", "/email", api.acmeKey, OK_BODY + ", \"MessageStream\": \"nope\"}", 422,
                    300, "no stream nope"),
            new Refusal("no body", "/email", api.acmeKey, "{\"From\": \"a@acme.test\", \"To\": \"b@remote.test\"}", 422,
                    300, "TextBody: "));
        List<String> wrong = new ArrayList<>();
        for (Refusal r : refusals) {
            SendApiHome.Answer a = postmark(r.path(), r.token(), r.body());
            boolean right = a.status() == r.status() && a.json().path("ErrorCode").asInt() == r.errorCode()
                    && a.json().path("Message").asText().contains(r.message())
                    && names(a.json()).equals(List.of("ErrorCode", "Message"));
            if (!right) {
                wrong.add(r.what() + ": " + a);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void unknownFieldsAreIgnoredNamesMatchInAnyCaseAndTheStreamIsChosen() throws Exception {
        SendApiHome.Answer a = postmark("/email", api.acmeKey, """
                {"from": "a@acme.test", "TO": "b@remote.test", "textbody": "x", "MessageStream": "news",
                 "InlineCss": true, "TrackOpens": false, "TrackLinks": "None",
                 "Attachments": [{"Name": "a.txt", "Content": "eA==", "ContentType": "text/plain", "ContentLength": 1}]}
                """);
        assertEquals(200, a.status(), a.toString());
        assertEquals("news", api.queuedEvent(api.acmeKey, a.json().path("MessageID").asText()).path("stream").asText());
        SendApiHome.Answer own = postmark("/email", api.receiptsKey, OK_BODY + ", \"MessageStream\": \"outbound\"}");
        assertEquals(200, own.status(), own.toString());
        assertEquals("receipts", api.queuedEvent(api.acmeKey, own.json().path("MessageID").asText()).path("stream")
                .asText());
    }

    @Test
    void onlyThePostmarkRoutesAnswerInPostmarksShape() throws Exception {
        String body = OK_BODY.replace("\"From\"", "\"from\"").replace("\"To\"", "\"to\"")
                .replace("\"TextBody\"", "\"text\"") + "}";
        // Petrel's own route takes no Postmark token, and says so in Petrel's shape
        SendApiHome.Answer petrel = api.send("POST", "/v1/messages", null, body, "X-Postmark-Server-Token",
                api.acmeKey);
        assertEquals(401, petrel.status(), petrel.toString());
        assertEquals("unauthorized", petrel.code());
        SendApiHome.Answer bearer = api.send("POST", "/email", api.acmeKey, OK_BODY + "}");
        assertEquals(401, bearer.status(), bearer.toString());
        assertEquals(10, bearer.json().path("ErrorCode").asInt());
    }

    @Test
    void tooManyWrongKeysFromOneAddressIs429InPostmarksShapeWithRetryAfter() throws Exception {
        // from 127.0.0.2, so that the other tests' address keeps its count
        List<Integer> statuses = new ArrayList<>();
        HttpClientCurl.Response last = null;
        for (int i = 0; i < 7; i++) {
            last = api.curl.send("POST", "/email", null, OK_BODY + "}", "--interface", "127.0.0.2",
                    "-H", "X-Postmark-Server-Token: pk_wrong_" + i);
            statuses.add(last.status());
        }
        assertEquals(List.of(401, 401, 401, 401, 429, 429, 429), statuses, last.run().describe());
        assertEquals(429, last.json().path("ErrorCode").asInt(), last.body());
        assertTrue(last.headers().toLowerCase(java.util.Locale.ROOT).contains("\nretry-after: "), last.headers());
    }

    private static SendApiHome.Answer postmark(String path, String token, String body) throws Exception {
        return token == null ? api.send("POST", path, null, body)
                : api.send("POST", path, null, body, "X-Postmark-Server-Token", token);
    }

    private static String batchOf(int n) {
        return "[" + String.join(",", java.util.Collections.nCopies(n, OK_BODY + "}")) + "]";
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
