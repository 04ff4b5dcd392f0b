package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant isolation end to end, on a real server process: tenant A ({@code acme}) and tenant B ({@code bravo}), each
 * with a domain, a stream and a key, B with a message sent, an address suppressed and a webhook endpoint. With A's
 * key every route of B's data answers exactly as for data that does not exist (the same status, error code and
 * message), A cannot send as B over HTTP or SMTP, and every command that takes a tenant, given A, neither shows nor
 * touches B's rows.
 */
class TenantIsolationTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String SUPPRESSED = "gone@remote.test";
    /** A queue id no message has: what "missing" answers are compared with. */
    private static final String NO_MESSAGE = "0000000000000000";

    private static SendApiHome api;
    private static String bravoMessage;
    private static String bravoWebhook;

    @BeforeAll
    static void start() throws Exception {
        Programs.require("python3", "python3");
        api = new SendApiHome(scratch.newFolder("home")).configure("webhook_allow_private = true", "");
        cli("stream", "add", "bravo", "alerts", "--kind", "transactional");
        cli("suppression", "add", "bravo", SUPPRESSED);
        api.start();
        SendApiHome.Answer sent = api.post("/v1/messages", api.bravoKey, Map.of("from", "b@bravo.test",
                "to", "someone@remote.test", "subject", "B's", "text", "B's message", "stream", "alerts"));
        assertEquals(200, sent.status(), sent.toString());
        bravoMessage = sent.json().path("message_id").asText();
        SendApiHome.Answer hook = api.post("/v1/webhooks", api.bravoKey, Map.of("url", "http://127.0.0.1:9/b"));
        assertEquals(201, hook.status(), hook.toString());
        bravoWebhook = hook.json().path("webhook").path("id").asText();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        api.stop();
    }

    private static Programs.Result cli(String... args) throws Exception {
        return api.home.petrelOk(null, args);
    }

    /** A's answer for B's {@code path} is A's answer for the missing {@code missing}, the names swapped. */
    private static void sameAsMissing(String method, String path, String missing, String foreignName,
                                      String missingName) throws Exception {
        SendApiHome.Answer foreign = api.send(method, path, api.acmeKey, null);
        SendApiHome.Answer absent = api.send(method, missing, api.acmeKey, null);
        assertEquals(404, absent.status(), absent.toString());
        assertEquals("not_found", absent.code(), absent.toString());
        assertEquals(absent.status(), foreign.status(), method + " " + path + ": " + foreign);
        assertEquals(absent.code(), foreign.code(), foreign.toString());
        assertEquals(absent.message().replace(missingName, foreignName), foreign.message(), foreign.toString());
    }

    @Test
    void anotherTenantsMessageIsNotFoundAsAMissingOneIs() throws Exception {
        assertEquals(200, api.send("GET", "/v1/messages/" + bravoMessage, api.bravoKey, null).status(),
                "B sees its own message");
        sameAsMissing("GET", "/v1/messages/" + bravoMessage, "/v1/messages/" + NO_MESSAGE, bravoMessage, NO_MESSAGE);
    }

    @Test
    void aTenantReadsNoneOfAnothersEventsAlsoAfterItSends() throws Exception {
        api.queuedEvent(api.bravoKey, bravoMessage);
        SendApiHome.Answer mine = api.post("/v1/messages", api.acmeKey, Map.of("from", "a@acme.test",
                "to", "someone@remote.test", "subject", "A's", "text", "A's message"));
        assertEquals(200, mine.status(), mine.toString());
        api.queuedEvent(api.acmeKey, mine.json().path("message_id").asText());
        SendApiHome.Answer again = api.post("/v1/messages", api.bravoKey, Map.of("from", "b@bravo.test",
                "to", "other@remote.test", "subject", "B's", "text", "B's second"));
        String second = again.json().path("message_id").asText();
        api.queuedEvent(api.bravoKey, second);

        SendApiHome.Answer events = api.send("GET", "/v1/events?after=0&limit=1000", api.acmeKey, null);
        assertEquals(200, events.status(), events.toString());
        assertTrue(events.json().path("events").size() > 0, events.toString());
        for (JsonNode e : events.json().path("events")) {
            assertEquals("acme", e.path("tenant").asText(), "A reads B's event: " + e);
            assertFalse(List.of(bravoMessage, second).contains(e.path("message_id").asText()), e.toString());
        }
        SendApiHome.Answer admin = api.send("GET", "/v1/events?after=0&limit=1000", api.adminToken, null);
        for (JsonNode e : admin.json().path("events")) {
            assertFalse(e.path("message_id").asText().equals(second), "default reads B's event: " + e);
        }
    }

    @Test
    void anotherTenantsSuppressionIsNotFoundAndNotRemovedAsAMissingOne() throws Exception {
        String missing = "never@remote.test";
        sameAsMissing("GET", "/v1/suppressions/" + SUPPRESSED, "/v1/suppressions/" + missing, SUPPRESSED, missing);
        sameAsMissing("DELETE", "/v1/suppressions/" + SUPPRESSED, "/v1/suppressions/" + missing, SUPPRESSED,
                missing);
        SendApiHome.Answer list = api.send("GET", "/v1/suppressions", api.acmeKey, null);
        assertEquals(200, list.status(), list.toString());
        assertFalse(list.json().toString().contains(SUPPRESSED), list.toString());
        assertEquals(200, api.send("GET", "/v1/suppressions/" + SUPPRESSED, api.bravoKey, null).status(),
                "B's entry is still there");
    }

    @Test
    void anotherTenantsWebhookIsNeitherListedNorShownNorRemoved() throws Exception {
        SendApiHome.Answer list = api.send("GET", "/v1/webhooks", api.acmeKey, null);
        assertEquals(200, list.status(), list.toString());
        assertEquals(0, list.json().path("webhooks").size(), list.toString());
        String missing = "wh_0000000000000000";
        sameAsMissing("GET", "/v1/webhooks/" + bravoWebhook, "/v1/webhooks/" + missing, bravoWebhook, missing);
        sameAsMissing("DELETE", "/v1/webhooks/" + bravoWebhook, "/v1/webhooks/" + missing, bravoWebhook, missing);
        assertEquals(200, api.send("GET", "/v1/webhooks/" + bravoWebhook, api.bravoKey, null).status(),
                "B's endpoint is still there");
    }

    @Test
    void aKeyCannotSendFromAnotherTenantsDomainOverHttp() throws Exception {
        String refusal = "bravo.test is not a domain of tenant acme";
        SendApiHome.Answer message = api.post("/v1/messages", api.acmeKey, Map.of("from", "x@bravo.test",
                "to", "someone@remote.test", "subject", "x", "text", "x"));
        assertEquals(List.of(422, "sender_not_allowed", refusal), List.of(message.status(), message.code(),
                message.message()), message.toString());
        SendApiHome.Answer raw = api.post("/v1/messages/raw", api.acmeKey, Map.of("from", "a@acme.test",
                "to", List.of("someone@remote.test"), "message", "From: x@bravo.test\r\nSubject: x\r\n\r\nx\r\n"));
        assertEquals(List.of(422, "sender_not_allowed", refusal), List.of(raw.status(), raw.code(), raw.message()),
                raw.toString());
        SendApiHome.Answer batch = api.post("/v1/messages/batch", api.acmeKey, Map.of("messages", List.of(Map.of(
                "from", "x@bravo.test", "to", "someone@remote.test", "subject", "x", "text", "x"))));
        JsonNode result = batch.json().path("results").path(0);
        assertEquals(List.of(422, "sender_not_allowed"), List.of(result.path("status").asInt(),
                result.path("error").path("code").asText()), batch.toString());
    }

    @Test
    void aKeyOfOneStreamSendsOnNoOtherAndAnotherTenantsStreamIsUnknown() throws Exception {
        Map<String, Object> news = Map.of("from", "a@acme.test", "to", "someone@remote.test", "subject", "x",
                "text", "x", "stream", "news");
        SendApiHome.Answer other = api.post("/v1/messages", api.receiptsKey, news);
        assertEquals(List.of(422, "stream_not_allowed", "this API key may send only on stream receipts, not news"),
                List.of(other.status(), other.code(), other.message()), other.toString());
        SendApiHome.Answer foreign = api.post("/v1/messages", api.acmeKey, Map.of("from", "a@acme.test",
                "to", "someone@remote.test", "subject", "x", "text", "x", "stream", "alerts"));
        SendApiHome.Answer absent = api.post("/v1/messages", api.acmeKey, Map.of("from", "a@acme.test",
                "to", "someone@remote.test", "subject", "x", "text", "x", "stream", "nope"));
        assertEquals(List.of(422, "unknown_stream"), List.of(absent.status(), absent.code()), absent.toString());
        assertEquals(List.of(absent.status(), absent.code(), absent.message().replace("nope", "alerts")),
                List.of(foreign.status(), foreign.code(), foreign.message()), "B's stream: " + foreign);
    }

    @Test
    void smtpAuthWithAKeyCannotSendFromAnotherTenantsDomain() throws Exception {
        Path file = Files.createTempFile(api.home.dir(), "message-", ".eml");
        Files.write(file, "From: <x@bravo.test>\r\nSubject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        JsonNode r = Smtplib.run(api.home.dir(), "send", "--port", String.valueOf(api.server.port("submission")),
                "--tls", "starttls", "--auth", "plain", "--user", "apikey", "--password", api.acmeKey, "--sender",
                "x@bravo.test", "--rcpt", "someone@remote.test", "--message", file.toString());
        assertEquals(550, r.path("mail").get(0).asInt(), r.toString());
        assertEquals("5.7.1 Sender address rejected: bravo.test is not a domain of tenant acme",
                r.path("mail").get(1).asText(), r.toString());
    }

    @Test
    void commandsGivenOneTenantNeitherShowNorTouchAnothersRows() throws Exception {
        String bravoKeyId = api.bravoKey.substring(3, 11);
        assertFalse(cli("key", "list", "acme").stdout().contains(bravoKeyId));
        assertTrue(cli("key", "list", "bravo").stdout().contains(bravoKeyId));
        assertFalse(cli("stream", "list", "acme").stdout().contains("alerts"));
        assertFalse(cli("suppression", "list", "acme").stdout().contains(SUPPRESSED));
        assertFalse(cli("webhook", "list", "acme").stdout().contains(bravoWebhook));
        assertTrue(cli("webhook", "list", "bravo").stdout().contains(bravoWebhook));

        fails("petrel: " + SUPPRESSED + " is not suppressed for tenant acme", "suppression", "list", "acme",
                SUPPRESSED);
        fails("petrel: no suppression of " + SUPPRESSED + " for tenant acme on every stream", "suppression",
                "remove", "acme", SUPPRESSED);
        fails("petrel: no webhook " + bravoWebhook + " of tenant acme", "webhook", "remove", bravoWebhook,
                "--tenant", "acme");
        fails("petrel: no API key " + bravoKeyId + " of tenant acme", "key", "revoke", bravoKeyId, "--tenant",
                "acme");

        assertTrue(cli("suppression", "list", "bravo", SUPPRESSED).stdout().contains(SUPPRESSED));
        assertTrue(cli("webhook", "list", "bravo").stdout().contains(bravoWebhook));
        SendApiHome.Answer still = api.post("/v1/messages", api.bravoKey, Map.of("from", "b@bravo.test",
                "to", "someone@remote.test", "subject", "x", "text", "B's key still works"));
        assertEquals(200, still.status(), still.toString());
    }

    private static void fails(String stderr, String... args) throws Exception {
        Programs.Result r = api.home.petrel(null, args);
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals(stderr, r.stderr().strip(), r.describe());
    }
}
