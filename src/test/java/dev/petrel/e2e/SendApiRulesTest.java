package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every refusal of the send API with its exact answer (status, code, message), on a real server with small limits,
 * driven by Java's HttpClient and curl; who may call what; and that one tenant's key finds nothing of another's.
 */
class SendApiRulesTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static SendApiHome api;

    @BeforeAll
    static void start() throws Exception {
        api = new SendApiHome(scratch.newFolder("home"))
                .configure("max_body = \"256KiB\"\nbatch_messages = 3\nwebhook_allow_private = true",
                        "recipients = 5\nmessage_size = \"64KiB\"");
        api.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        api.stop();
    }

    /** A good message's fields, with some changed or (given null) removed. */
    private static Map<String, Object> message(Object... changes) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("from", "ann@acme.test", "to", List.of("bob@remote.test"),
                "subject", "hello", "text", "hi"));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                m.remove((String) changes[i]);
            } else {
                m.put((String) changes[i], changes[i + 1]);
            }
        }
        return m;
    }

    private static void refused(SendApiHome.Answer r, int status, String code, String message) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(code, r.code(), r.toString());
        assertEquals(message, r.message(), r.toString());
    }

    @Test
    void eachInvalidMessageIsRefusedWithItsExactAnswer() throws Exception {
        String key = api.acmeKey;
        refused(api.post("/v1/messages", key, message("from", null)), 422, "invalid_message", "from: required");
        refused(api.post("/v1/messages", key, message("from", "ann@")), 422, "invalid_message",
                "from: not an address: \"ann@\" (not a mailbox: ann@)");
        refused(api.post("/v1/messages", key, message("to", null)), 422, "invalid_message",
                "to: no recipient in to, cc or bcc");
        refused(api.post("/v1/messages", key, message("text", null)), 422, "invalid_message",
                "text: a text or an html body is required");
        refused(api.post("/v1/messages", key, message("subject", "two\nlines")), 422, "invalid_message",
                "subject: CR, LF and NUL are not allowed");
        refused(api.post("/v1/messages", key, message("headers", Map.of("Subject", "again"))), 422, "invalid_message",
                "headers[0].name: Subject is set by the composer, not as a header");
        refused(api.post("/v1/messages", key, message("attachments", List.of(Map.of("name", "a.bin",
                "content_type", "application/octet-stream", "content", "not base64!")))), 422, "invalid_message",
                "attachments[0].content: not base64 (RFC 4648): Illegal base64 character 21");
        refused(api.post("/v1/messages", key, message("attachments", List.of(Map.of("name", "a.bin",
                "content_type", "nonsense", "content", "AAAA")))), 422, "invalid_message",
                "attachments[0].content_type: not a MIME type (RFC 2045 5.1 type/subtype): \"nonsense\"");
        Map<String, Object> nullLabel = new java.util.HashMap<>();
        nullLabel.put("order", null);
        refused(api.post("/v1/messages", key, message("metadata", nullLabel)), 422, "invalid_message",
                "metadata.order: required");
        refused(api.post("/v1/messages", key, message("reply_to", "not an address")), 422, "invalid_message",
                "reply_to[0]: a name without <> around its address at position 14");
    }

    @Test
    void whatTheKeyMayNotDoIsRefusedWithItsExactAnswer() throws Exception {
        refused(api.post("/v1/messages", api.acmeKey, message("from", "ann@bravo.test")), 422, "sender_not_allowed",
                "bravo.test is not a domain of tenant acme");
        refused(api.post("/v1/messages", api.acmeKey, message("from", "ann@nobody.test")), 422, "sender_not_allowed",
                "nobody.test is not a domain of tenant acme");
        refused(api.post("/v1/messages", api.receiptsKey, message("stream", "news")), 422, "stream_not_allowed",
                "this API key may send only on stream receipts, not news");
        refused(api.post("/v1/messages", api.acmeKey, message("stream", "nope")), 422, "unknown_stream",
                "no stream nope for this API key's tenant");
        refused(api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "ann@acme.test", "to", "x@remote.test",
                "message", "From: b@bravo.test\nSubject: x\n\nbody\n")), 422, "sender_not_allowed",
                "bravo.test is not a domain of tenant acme");
        refused(api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "ann@bravo.test", "to", "x@remote.test",
                "message", "From: ann@acme.test\n\nbody\n")), 422, "sender_not_allowed",
                "bravo.test is not a domain of tenant acme");
    }

    @Test
    void limitsAreRefusedWithTheirExactAnswers() throws Exception {
        List<String> six = List.of("a@r.test", "b@r.test", "c@r.test", "d@r.test", "e@r.test", "f@r.test");
        refused(api.post("/v1/messages", api.acmeKey, message("to", six)), 422, "too_many_recipients",
                "6 recipients, more than the 5 allowed in one message");
        SendApiHome.Answer big = api.post("/v1/messages", api.acmeKey, message("text", "x".repeat(70_000)));
        assertEquals(413, big.status(), big.toString());
        assertEquals("message_too_large", big.code());
        assertTrue(big.message().matches("the message is \\d+ octets, more than the 65536 allowed"), big.message());
        // the server answers before it reads such a body, and curl (unlike Java's client) reads that answer
        java.nio.file.Path file = java.nio.file.Files.writeString(api.home.dir().resolve("big.json"),
                SendApiHome.JSON.writeValueAsString(message("text", "x".repeat(300_000))));
        HttpClientCurl.Response tooLarge = api.curl.send("POST", "/v1/messages", api.acmeKey, "@" + file);
        assertEquals(413, tooLarge.status(), tooLarge.describe());
        assertEquals("{\"error\":{\"code\":\"body_too_large\",\"message\":\"the request body is larger than 262144"
                + " octets\"}}", tooLarge.body());
        refused(api.post("/v1/messages/batch", api.acmeKey, Map.of("messages", List.of(message(), message(),
                message(), message()))), 422, "batch_too_large", "4 messages, more than the 3 of one batch");
        refused(api.post("/v1/messages/batch", api.acmeKey, Map.of("messages", List.of())), 422, "invalid_message",
                "messages: at least one message");
    }

    @Test
    void malformedRequestsAreRefusedWithTheirExactAnswers() throws Exception {
        refused(api.send("POST", "/v1/messages", api.acmeKey, "{\"from\": \"ann@acme.test\",\n\"to\": }"), 400,
                "invalid_json", "malformed JSON: Unexpected character ('}' (code 125)): expected a value"
                        + " (line 2, column 7)");
        SendApiHome.Answer unknown = api.post("/v1/messages", api.acmeKey, message("colour", "blue"));
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("unknown_field", unknown.code());
        assertTrue(unknown.message().startsWith("unknown field \"colour\""), unknown.message());
        refused(api.post("/v1/messages/raw", api.acmeKey, Map.of("to", "x@remote.test", "message", "x")), 422,
                "invalid_message", "from: required");
        refused(api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "ann@acme.test", "to", "x@remote.test",
                "message", "x", "message_base64", "eA==")), 422, "invalid_message",
                "message: give the message as message (text) or message_base64, one of the two");
        refused(api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "ann@acme.test", "to", "x@remote.test",
                "message", "Subject: no sender\n\nbody\n")), 422, "invalid_message",
                "message: no From field with a readable address");
        refused(api.post("/v1/messages", api.acmeKey, message(), "Idempotency-Key", "x".repeat(256)), 400,
                "invalid_request", "Idempotency-Key: 1 to 255 printable ASCII characters, no spaces");
    }

    @Test
    void recipientsThatAreNoAddressOrUnknownHereAreRefusedOneByOne() throws Exception {
        SendApiHome.Answer some = api.post("/v1/messages", api.acmeKey, message("to", List.of("bob@remote.test",
                "no address", "nobody@localhost"), "bcc", "ünï@remote.test"));
        assertEquals(200, some.status(), some.toString());
        assertEquals(List.of(
                "bob@remote.test accepted", "no address refused invalid_address a name without <> around its address at position 10",
                "nobody@localhost refused recipient_rejected 550 5.1.1 Recipient address rejected: User unknown in"
                        + " local recipient table",
                "ünï@remote.test refused invalid_address not an address: \"ünï@remote.test\" (a non-ASCII local part"
                        + " needs SMTPUTF8)"),
                results(some.json()));
        assertEquals(1, api.home.readPresent(some.json().path("message_id").asText()).message().envelope()
                .recipients().size());
        SendApiHome.Answer none = api.post("/v1/messages", api.acmeKey, message("to", List.of("nobody@localhost",
                "x")));
        refused(none, 422, "no_recipient_accepted", "every recipient was refused");
        assertEquals(2, none.json().path("recipients").size(), none.toString());
        SendApiHome.Answer noAddress = api.post("/v1/messages", api.acmeKey, message("to", "x"));
        refused(noAddress, 422, "no_recipient_accepted", "no recipient is an address");
        assertEquals(List.of("x refused invalid_address not an address: \"x\""), results(noAddress.json()));
    }

    private static List<String> results(JsonNode answer) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : answer.path("recipients")) {
            out.add((r.path("address").asText() + " " + r.path("status").asText() + " " + r.path("reason").asText()
                    + " " + r.path("message").asText()).strip());
        }
        return out;
    }

    @Test
    void sendingWantsAnApiKeyAndTheAdminApiAnAdminToken() throws Exception {
        refused(api.post("/v1/messages", null, message()), 401, "unauthorized",
                "sending needs an API key (Authorization: Bearer pk_...; petrel key create TENANT makes one)");
        refused(api.post("/v1/messages", "pk_abcdefgh_" + "A".repeat(43), message()), 401, "unauthorized",
                "the API key is not valid, or was revoked");
        refused(api.post("/v1/messages", api.adminToken, message()), 403, "forbidden",
                "an admin token cannot send; sending needs an API key (petrel key create TENANT)");
        refused(api.send("GET", "/admin/v1/domains", api.acmeKey, null), 403, "forbidden",
                "an API key cannot call the admin API; it wants an admin token");
        refused(api.send("GET", "/v1/events", null, null), 401, "unauthorized",
                "an API key is needed (Authorization: Bearer pk_...); an admin token acts for the tenant default");
        HttpClientCurl.Response none = api.curl.send("POST", "/v1/messages", null, "{}");
        assertTrue(none.headers().toLowerCase().contains("www-authenticate: bearer"), none.describe());
    }

    @Test
    void wrongKeysFromOneAddressAre429EvenWithTheRightOne() throws Exception {
        // from 127.0.0.8, so that the other tests' address is not blocked
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(api.curl.send("POST", "/v1/messages", "pk_wrongkey_" + "B".repeat(43), "{}",
                    "--interface", "127.0.0.8").status());
        }
        assertEquals(List.of(401, 401, 401, 401, 429, 429), statuses);
        HttpClientCurl.Response blocked = api.curl.send("POST", "/v1/messages", api.acmeKey, "{}",
                "--interface", "127.0.0.8");
        assertEquals(429, blocked.status(), blocked.describe());
        assertEquals("too_many_failures", blocked.json().path("error").path("code").asText());
        assertTrue(blocked.headers().toLowerCase().contains("retry-after: 900"), blocked.describe());
    }

    @Test
    void aKeyOfOneTenantFindsNothingOfAnothersMessagesEventsOrWebhooks() throws Exception {
        String id = api.post("/v1/messages", api.acmeKey, message()).json().path("message_id").asText();
        SendApiHome.Answer own = api.send("GET", "/v1/messages/" + id, api.acmeKey, null);
        assertEquals(200, own.status(), own.toString());
        SendApiHome.Answer missing = api.send("GET", "/v1/messages/1M2B3C4D5F6G7H8", api.bravoKey, null);
        refused(missing, 404, "not_found", "no message 1M2B3C4D5F6G7H8");
        refused(api.send("GET", "/v1/messages/" + id, api.bravoKey, null), 404, "not_found", "no message " + id);
        refused(api.send("GET", "/v1/messages/" + id, api.adminToken, null), 404, "not_found", "no message " + id);
        SendApiHome.Answer events = api.send("GET", "/v1/events?after=0&limit=1000", api.bravoKey, null);
        assertTrue(!events.response().body().contains(id), events.toString());

        SendApiHome.Answer hook = api.post("/v1/webhooks", api.acmeKey, Map.of("url", "http://127.0.0.1:9/acme"));
        assertEquals(201, hook.status(), hook.toString());
        String hookId = hook.json().path("webhook").path("id").asText();
        assertEquals("acme", hook.json().path("webhook").path("tenant").asText());
        refused(api.send("GET", "/v1/webhooks/" + hookId, api.bravoKey, null), 404, "not_found", "no webhook " + hookId);
        refused(api.send("DELETE", "/v1/webhooks/" + hookId, api.bravoKey, null), 404, "not_found",
                "no webhook " + hookId);
        refused(api.send("GET", "/v1/webhooks/" + hookId, api.adminToken, null), 404, "not_found",
                "no webhook " + hookId);
        assertEquals(0, api.send("GET", "/v1/webhooks", api.bravoKey, null).json().path("webhooks").size());
        assertEquals(1, api.send("GET", "/v1/webhooks", api.acmeKey, null).json().path("webhooks").size());
        assertEquals(204, api.send("DELETE", "/v1/webhooks/" + hookId, api.acmeKey, null).status());
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheFirstAnswerAndSendsNothingAndAnotherBodyIs409() throws Exception {
        Map<String, Object> body = message("tag", "idem-1");
        SendApiHome.Answer first = api.post("/v1/messages", api.acmeKey, body, "Idempotency-Key", "order-1");
        assertEquals(200, first.status(), first.toString());
        String id = first.json().path("message_id").asText();
        SendApiHome.Answer again = api.post("/v1/messages", api.acmeKey, body, "Idempotency-Key", "order-1");
        assertEquals(200, again.status(), again.toString());
        assertEquals(first.response().body(), again.response().body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        refused(api.post("/v1/messages", api.acmeKey, message("tag", "idem-other"), "Idempotency-Key", "order-1"),
                409, "idempotency_key_reused", "this Idempotency-Key was used with another request (method, path or"
                        + " body) within the window; use a new key for a new request");
        // keys are per tenant: bravo's order-1 is its own
        SendApiHome.Answer bravo = api.post("/v1/messages", api.bravoKey, message("from", "b@bravo.test"),
                "Idempotency-Key", "order-1");
        assertEquals(200, bravo.status(), bravo.toString());
        // a refusal is an answer too, repeated as it was
        SendApiHome.Answer refusal = api.post("/v1/messages", api.acmeKey, message("stream", "nope"),
                "Idempotency-Key", "order-2");
        assertEquals(422, refusal.status());
        assertEquals(refusal.response().body(), api.post("/v1/messages", api.acmeKey, message("stream", "nope"),
                "Idempotency-Key", "order-2").response().body());
        assertEquals(1, queuedWithTag("idem-1"), "the repeat sent nothing");
        assertEquals(id, SendApiHome.JSON.readTree(first.response().body()).path("message_id").asText());
    }

    @Test
    void ofConcurrentRequestsWithOneIdempotencyKeyOnlyOneSends() throws Exception {
        Map<String, Object> body = message("tag", "race");
        List<java.util.concurrent.Callable<SendApiHome.Answer>> requests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            requests.add(() -> api.post("/v1/messages", api.acmeKey, body, "Idempotency-Key", "race-1"));
        }
        List<SendApiHome.Answer> answers = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(12)) {
            for (var f : threads.invokeAll(requests)) {
                answers.add(f.get());
            }
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (SendApiHome.Answer a : answers) {
            if (a.status() == 409) {
                assertEquals("idempotency_key_in_progress", a.code(), a.toString());
                assertEquals("1", a.header("Retry-After"));
            } else {
                assertEquals(200, a.status(), a.toString());
                ids.add(a.json().path("message_id").asText());
            }
        }
        assertEquals(1, ids.size(), "every 200 names the one message: " + answers);
        assertEquals(1, queuedWithTag("race"), "exactly one message was queued");
    }

    // the acme key's queued events with this tag, once the feed has them all
    private static int queuedWithTag(String tag) throws Exception {
        int n = 0;
        for (JsonNode e : api.send("GET", "/v1/events?after=0&limit=1000", api.acmeKey, null).json().path("events")) {
            n += e.path("type").asText().equals("message.queued") && e.path("tag").asText().equals(tag) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aMessageInALoopIsRefusedAndAFullQueueDiskIs507() throws Exception {
        String loop = "Received: from a by b; Thu, 1 Jan 2026 00:00:00 +0000\n".repeat(50)
                + "From: ann@acme.test\n\nlooping\n";
        refused(api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "ann@acme.test", "to", "x@remote.test",
                "message", loop)), 422, "message_refused", "554 5.4.6 Too many hops, mail loop detected");
        // the queue keeps more free than its disk has: intake refuses with 452 4.3.1, as with a full disk
        SendApiHome full = new SendApiHome(scratch.newFolder("full")).configure("",
                "queue_reserve = \"1000000000GiB\"");
        full.start();
        try {
            SendApiHome.Answer r = full.post("/v1/messages", full.acmeKey, message());
            refused(r, 507, "insufficient_storage", "the queue's disk is full: 452 4.3.1 Insufficient system storage");
            assertEquals("60", r.header("Retry-After"));
        } finally {
            full.stop();
        }
    }
}
