package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API of a real server process, driven by curl: who may call it, its errors, and each thing it does
 * (the queue, domains, users, aliases, DKIM keys, admin tokens), checked against what the command line sees.
 */
class AdminApiTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static PetrelHome home;
    private static ServerProcess server;
    private static HttpClientCurl http;
    private static String token;

    @BeforeAll
    static void startServer() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        String config = Files.readString(home.config());
        Files.writeString(home.config(), config.replace("[http]\n",
                "[http]\nmax_body = \"64KiB\"\nwebhook_allow_private = true\n"));
        Programs.Result created = home.petrelOk(null, "admin-token", "create", "ops");
        token = created.stdout().strip();
        assertTrue(token.startsWith("pat_"), created.describe());
        server = home.start();
        http = new HttpClientCurl(home.dir(), "http://127.0.0.1:" + server.port("http"));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentAnswerWithoutAToken() throws Exception {
        HttpClientCurl.Response health = http.get("/healthz", null);
        assertEquals(200, health.status(), health.describe());
        assertEquals("ok", health.json().path("status").asText());
        HttpClientCurl.Response metrics = http.get("/metrics", null);
        assertEquals(200, metrics.status(), metrics.describe());
        assertTrue(metrics.headers().contains("Content-Type: text/plain; version=0.0.4"), metrics.describe());
        assertTrue(metrics.body().contains("petrel_messages_accepted_total"), metrics.body());
        Programs.Result promtool = Programs.run(home.dir(), "promtool check metrics",
                List.of(Programs.require("promtool", "prometheus"), "check", "metrics"),
                metrics.body().getBytes(StandardCharsets.UTF_8), Programs.CLIENT_TIMEOUT);
        assertEquals(0, promtool.exitCode(), promtool.describe());
        assertEquals("", promtool.output().strip(), promtool.describe());
        HttpClientCurl.Response doc = http.get("/v1/openapi.json", null);
        assertEquals("3.1.0", doc.json().path("openapi").asText(), doc.describe());
    }

    @Test
    void adminRoutesWantAValidToken() throws Exception {
        HttpClientCurl.Response none = http.get("/admin/v1/domains", null);
        assertEquals(401, none.status(), none.describe());
        assertEquals("unauthorized", none.json().path("error").path("code").asText());
        assertTrue(none.headers().toLowerCase().contains("www-authenticate: bearer"), none.describe());
        assertEquals(401, http.get("/admin/v1/domains", "pat_abcdefgh_" + "A".repeat(43)).status());
        assertEquals(404, http.get("/no-such-route", null).status(), "an unknown route is 404 without a token");
    }

    @Test
    void repeatedWrongTokensFromOneAddressAre429EvenWithTheRightOne() throws Exception {
        // from 127.0.0.9, so that the other tests' address is not blocked
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(http.send("GET", "/admin/v1/domains", "pat_wrongwro_" + "B".repeat(43), null,
                    "--interface", "127.0.0.9").status());
        }
        assertEquals(List.of(401, 401, 401, 401, 429, 429), statuses);
        HttpClientCurl.Response blocked = http.send("GET", "/admin/v1/domains", token, null, "--interface", "127.0.0.9");
        assertEquals(429, blocked.status(), blocked.describe());
        assertTrue(blocked.headers().toLowerCase().contains("retry-after:"), blocked.describe());
        assertEquals(200, http.get("/admin/v1/domains", token).status(), "another address is not blocked");
    }

    @Test
    void theEmbeddedQueueHasNoNodesToList() throws Exception {
        HttpClientCurl.Response nodes = http.get("/admin/v1/nodes", token);
        assertEquals(200, nodes.status(), nodes.describe());
        assertEquals("{\"nodes\":[]}", nodes.body().strip(), nodes.describe());
        assertEquals(401, http.get("/admin/v1/nodes", null).status(), "an admin token's");
    }

    @Test
    void errorsHaveOneShapeAndTheRightStatus() throws Exception {
        HttpClientCurl.Response missing = http.get("/admin/v1/nothing-here", token);
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.json().path("error").path("code").asText());
        HttpClientCurl.Response method = http.send("PUT", "/admin/v1/queue/flush", token, "{}");
        assertEquals(405, method.status(), method.describe());
        assertTrue(method.headers().contains("Allow: POST"), method.describe());
        HttpClientCurl.Response broken = http.send("POST", "/admin/v1/domains", token, "{\"name\": \"a.test\",\n\"local\": tru}");
        assertEquals(400, broken.status(), broken.describe());
        assertTrue(broken.json().path("error").path("message").asText().contains("line 2"), broken.describe());
        HttpClientCurl.Response unknown = http.send("POST", "/admin/v1/domains", token, "{\"nmae\": \"a.test\"}");
        assertEquals("unknown_field", unknown.json().path("error").path("code").asText(), unknown.describe());
        String big = "{\"name\": \"" + "x".repeat(70_000) + "\"}";
        java.nio.file.Path file = Files.writeString(home.dir().resolve("big.json"), big);
        HttpClientCurl.Response tooLarge = http.send("POST", "/admin/v1/domains", token, "@" + file);
        assertEquals(413, tooLarge.status(), tooLarge.describe());
        assertEquals("body_too_large", tooLarge.json().path("error").path("code").asText());
        // what Jetty refuses before any route sees it has the same shape
        HttpClientCurl.Response huge = http.send("GET", "/healthz", null, null, "-H", "X-Big: " + "y".repeat(20_000));
        assertEquals(431, huge.status(), huge.describe());
        assertEquals("headers_too_large", huge.json().path("error").path("code").asText(), huge.describe());
    }

    @Test
    void domainsUsersAndAliasesChangeAsTheCommandLineSeesThem() throws Exception {
        HttpClientCurl.Response domain = http.send("POST", "/admin/v1/domains", token,
                "{\"name\": \"api.test\", \"local\": true}");
        assertEquals(200, domain.status(), domain.describe());
        assertTrue(domain.json().path("domain").path("local").asBoolean());
        assertTrue(home.petrelOk(null, "domain", "list").stdout().contains("api.test local"));
        HttpClientCurl.Response user = http.send("POST", "/admin/v1/users", token,
                "{\"address\": \"carol@api.test\", \"password\": \"a long secret\"}");
        assertEquals(200, user.status(), user.describe());
        assertFalse(user.body().contains("a long secret"), "the password is never echoed");
        assertTrue(home.petrelOk(null, "user", "list").stdout().contains("carol@api.test"));
        HttpClientCurl.Response quota = http.send("PUT", "/admin/v1/users/carol%40api.test/quota", token,
                "{\"quota\": 1048576}");
        assertEquals(1048576, quota.json().path("quota").asLong(), quota.describe());
        HttpClientCurl.Response alias = http.send("POST", "/admin/v1/aliases", token,
                "{\"source\": \"sales@api.test\", \"targets\": [\"carol@api.test\"]}");
        assertEquals(200, alias.status(), alias.describe());
        assertTrue(home.petrelOk(null, "alias", "list").stdout().contains("sales@api.test -> carol@api.test"));
        HttpClientCurl.Response badAlias = http.send("POST", "/admin/v1/aliases", token,
                "{\"source\": \"not an address\", \"targets\": [\"carol@api.test\"]}");
        assertEquals(400, badAlias.status(), badAlias.describe());
        assertEquals(204, http.send("DELETE", "/admin/v1/aliases/sales%40api.test", token, null).status());
        assertEquals(404, http.send("DELETE", "/admin/v1/aliases/sales%40api.test", token, null).status());
        assertEquals(204, http.send("DELETE", "/admin/v1/users/carol%40api.test", token, null).status());
        assertEquals(404, http.get("/admin/v1/users/carol%40api.test", token).status());
        assertFalse(home.petrelOk(null, "user", "list").stdout().contains("carol@api.test"));
    }

    @Test
    void aDkimKeyMadeByTheApiIsListedWithItsRecordAndChecked() throws Exception {
        HttpClientCurl.Response key = http.send("POST", "/admin/v1/dkim/signed.test", token,
                "{\"selector\": \"api1\", \"algorithm\": \"ed25519\"}");
        assertEquals(201, key.status(), key.describe());
        assertEquals("api1._domainkey.signed.test", key.json().path("key").path("record_name").asText());
        assertTrue(key.json().path("key").path("zone_line").asText().contains("v=DKIM1; k=ed25519; p="), key.describe());
        assertTrue(key.json().path("notes").path(0).asText().contains("not a domain Petrel knows"), key.describe());
        assertTrue(home.petrelOk(null, "dkim", "list").stdout().contains("api1._domainkey.signed.test ed25519 active"));
        HttpClientCurl.Response check = http.get("/admin/v1/dkim/signed.test/check", token);
        assertEquals(200, check.status(), check.describe());
        assertFalse(check.json().path("ok").asBoolean(), "nothing is published in this test's DNS");
        // each active key as an item of the domain's checklist, its status written as domain check writes it
        assertEquals("api1._domainkey.signed.test", check.json().path("keys").path(0).path("subject").asText());
        assertEquals("wrong", check.json().path("keys").path(0).path("status").asText(), check.body());
        assertEquals(400, http.send("POST", "/admin/v1/dkim/signed.test", token, "{\"algorithm\": \"dsa\"}").status());
    }

    @Test
    void theQueueIsListedFilteredAndChangedByIdAndByFilter() throws Exception {
        String first = sendmail("bob@remote.test");
        String second = sendmail("dave@elsewhere.test");
        JsonNode remote = http.get("/admin/v1/queue?domain=remote.test", token).json();
        assertTrue(ids(remote).contains(first) && !ids(remote).contains(second), remote.toString());
        HttpClientCurl.Response page = http.get("/admin/v1/queue?limit=1", token);
        assertEquals(1, page.json().path("messages").size(), page.describe());
        assertFalse(page.json().path("next").isNull(), page.describe());
        assertEquals(200, http.send("POST", "/admin/v1/queue/" + first + "/hold", token, null).status());
        assertEquals(List.of(first), ids(http.get("/admin/v1/queue?state=hold", token).json()));
        assertTrue(home.petrelOk(null, "queue", "list").stdout().contains(first));
        HttpClientCurl.Response empty = http.send("POST", "/admin/v1/queue/release", token, "{}");
        assertEquals(400, empty.status(), "an empty filter must say all: true");
        HttpClientCurl.Response released = http.send("POST", "/admin/v1/queue/release", token, "{\"state\": \"hold\"}");
        assertEquals(first, released.json().path("changed").path(0).asText(), released.describe());
        assertEquals(0, http.get("/admin/v1/queue?state=hold", token).json().path("messages").size());
        HttpClientCurl.Response shown = http.get("/admin/v1/queue/" + second, token);
        assertTrue(shown.json().path("headers").asText().contains("Subject: api test"), shown.describe());
        assertEquals(200, http.send("DELETE", "/admin/v1/queue/" + second, token, null).status());
        assertEquals(404, http.get("/admin/v1/queue/" + second, token).status());
        assertEquals(200, http.send("POST", "/admin/v1/queue/flush", token, null).status());
        JsonNode summary = http.get("/admin/v1/queue/summary", token).json();
        assertTrue(summary.path("total").path("total").asInt() >= 1, summary.toString());
        JsonNode events = http.get("/v1/events?after=0&limit=1000", token).json();
        assertTrue(events.path("events").toString().contains("\"message.held\""), events.toString());
        assertTrue(server.log().contains("admin action=\"queue hold id=" + first + "\" by=admin-token:ops"),
                "operators' actions are logged");
    }

    @Test
    void aTokenMadeByTheApiWorksUntilRevokedAndThenAtOnceNoMore() throws Exception {
        HttpClientCurl.Response made = http.send("POST", "/admin/v1/tokens", token, "{\"name\": \"ci\"}");
        assertEquals(201, made.status(), made.describe());
        String other = made.json().path("token").asText();
        assertNotEquals(token, other);
        assertEquals(200, http.get("/admin/v1/tokens", other).status());
        assertFalse(http.get("/admin/v1/tokens", other).body().contains(other), "tokens are never listed");
        assertEquals(204, http.send("DELETE", "/admin/v1/tokens/" + made.json().path("id").asText(), token, null)
                .status());
        assertEquals(401, http.get("/admin/v1/tokens", other).status());
        String third = home.petrelOk(null, "admin-token", "create", "short-lived").stdout().strip();
        assertEquals(200, http.get("/admin/v1/domains", third).status());
        home.petrelOk(null, "admin-token", "revoke", "short-lived");
        assertEquals(401, http.get("/admin/v1/domains", third).status(), "revoked by the command line, at once");
    }

    @Test
    void webhookEndpointsAreMadeListedAndRemovedWithTheirSecretShownOnce() throws Exception {
        HttpClientCurl.Response made = http.send("POST", "/v1/webhooks", token,
                "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"message.bounced\"]}");
        assertEquals(201, made.status(), made.describe());
        assertTrue(made.json().path("secret").asText().startsWith("whsec_"), made.describe());
        String id = made.json().path("webhook").path("id").asText();
        HttpClientCurl.Response listed = http.get("/v1/webhooks", token);
        assertTrue(listed.body().contains(id) && !listed.body().contains("whsec_"), listed.describe());
        assertTrue(home.petrelOk(null, "webhook", "list").stdout().contains(id), "the command line sees it");
        assertEquals("message.bounced", http.get("/v1/webhooks/" + id, token).json().path("events").path(0).asText());
        HttpClientCurl.Response refused = http.send("POST", "/v1/webhooks", token, "{\"url\": \"ftp://127.0.0.1/x\"}");
        assertEquals(400, refused.status(), refused.describe());
        assertEquals("target_refused", refused.json().path("error").path("code").asText(), refused.describe());
        assertEquals(400, http.send("POST", "/v1/webhooks", token,
                "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"message.nonsense\"]}").status());
        assertEquals(204, http.send("DELETE", "/v1/webhooks/" + id, token, null).status());
        assertEquals(404, http.get("/v1/webhooks/" + id, token).status());
    }

    @Test
    void tenantsAreAddedChangedAndRemovedAsTheCommandLineSeesThem() throws Exception {
        HttpClientCurl.Response made = http.send("POST", "/admin/v1/tenants", token,
                "{\"name\": \"zeta\", \"identification\": \"Zeta Ltd, 1 Main St\", \"per_second\": 5}");
        assertEquals(201, made.status(), made.describe());
        assertEquals(5, made.json().path("per_second").asLong(), made.describe());
        assertEquals(0, made.json().path("per_day").asLong(), made.describe());
        assertTrue(home.petrelOk(null, "tenant", "list").stdout().contains("zeta domains=0 users=0 keys=0 per_second=5"
                + " identification=Zeta Ltd, 1 Main St\n"));
        assertEquals(409, http.send("POST", "/admin/v1/tenants", token, "{\"name\": \"zeta\"}").status());
        assertEquals(400, http.send("POST", "/admin/v1/tenants", token, "{\"name\": \"no_underscores\"}").status());
        HttpClientCurl.Response patched = http.send("PATCH", "/admin/v1/tenants/zeta", token, "{\"per_day\": 1000}");
        assertEquals(200, patched.status(), patched.describe());
        assertEquals(5, patched.json().path("per_second").asLong(), "a field not given stays");
        assertEquals(1000, patched.json().path("per_day").asLong());
        HttpClientCurl.Response negative = http.send("PATCH", "/admin/v1/tenants/zeta", token,
                "{\"identification\": \"Z\", \"per_second\": -1}");
        assertEquals(400, negative.status(), negative.describe());
        assertEquals("per_second: messages a second are 0 (no limit) to 1000000, not -1",
                negative.json().path("error").path("message").asText());
        assertEquals("Zeta Ltd, 1 Main St", http.get("/admin/v1/tenants/zeta", token).json().path("identification")
                .asText(), "a wrong value changes nothing");
        assertEquals(400, http.send("PATCH", "/admin/v1/tenants/zeta", token, "{}").status());
        assertEquals(404, http.send("PATCH", "/admin/v1/tenants/nobody", token, "{\"per_day\": 1}").status());
        assertEquals(409, http.send("DELETE", "/admin/v1/tenants/default", token, null).status());
        assertEquals(204, http.send("DELETE", "/admin/v1/tenants/zeta", token, null).status());
        assertEquals(404, http.get("/admin/v1/tenants/zeta", token).status());
        assertFalse(home.petrelOk(null, "tenant", "list").stdout().contains("zeta"));
    }

    @Test
    void aTenantsStreamsAndKeysChangeAsTheCommandLineSeesThem() throws Exception {
        assertEquals(201, http.send("POST", "/admin/v1/tenants", token, "{\"name\": \"eta\"}").status());
        HttpClientCurl.Response stream = http.send("POST", "/admin/v1/tenants/eta/streams", token,
                "{\"name\": \"news\", \"kind\": \"broadcast\", \"per_second\": 2}");
        assertEquals(201, stream.status(), stream.describe());
        assertEquals(2, stream.json().path("per_second").asLong(), stream.describe());
        assertEquals(409, http.send("POST", "/admin/v1/tenants/eta/streams", token,
                "{\"name\": \"news\", \"kind\": \"broadcast\"}").status());
        HttpClientCurl.Response kind = http.send("POST", "/admin/v1/tenants/eta/streams", token,
                "{\"name\": \"promo\", \"kind\": \"marketing\"}");
        assertEquals("kind: a stream's kind is transactional or broadcast, not marketing",
                kind.json().path("error").path("message").asText(), kind.describe());
        assertEquals(10, http.send("PATCH", "/admin/v1/tenants/eta/streams/news", token, "{\"per_day\": 10}").json()
                .path("per_day").asLong());
        assertTrue(http.send("POST", "/admin/v1/tenants/eta/streams/news/pause", token, null).json().path("paused")
                .asBoolean());
        assertTrue(http.send("PATCH", "/admin/v1/tenants/eta/streams/news", token, "{\"sandbox\": true}").json()
                .path("sandbox").asBoolean());
        assertEquals("news broadcast paused sandbox per_second=2 per_day=10\n",
                home.petrelOk(null, "stream", "list", "eta").stdout());
        assertFalse(http.send("POST", "/admin/v1/tenants/eta/streams/news/resume", token, null).json().path("paused")
                .asBoolean());
        assertEquals("news", http.get("/admin/v1/tenants/eta/streams", token).json().path(0).path("name").asText());

        HttpClientCurl.Response key = http.send("POST", "/admin/v1/tenants/eta/keys", token, "{\"stream\": \"news\"}");
        assertEquals(201, key.status(), key.describe());
        String secret = key.json().path("secret").asText();
        String id = key.json().path("key").path("id").asText();
        assertTrue(secret.startsWith("pk_" + id + "_"), key.describe());
        HttpClientCurl.Response keys = http.get("/admin/v1/tenants/eta/keys", token);
        assertEquals(id, keys.json().path(0).path("id").asText(), keys.describe());
        assertFalse(keys.body().contains(secret), "a key is shown only once");
        assertTrue(home.petrelOk(null, "key", "list", "eta").stdout().startsWith(id + " news "));
        assertEquals(400, http.send("POST", "/admin/v1/tenants/eta/keys", token, "{\"stream\": \"nope\"}").status());
        HttpClientCurl.Response busy = http.send("DELETE", "/admin/v1/tenants/eta", token, null);
        assertEquals(409, busy.status(), busy.describe());
        assertEquals("tenant eta still has 1 API key(s); remove or revoke them first",
                busy.json().path("error").path("message").asText());
        assertEquals(204, http.send("DELETE", "/admin/v1/tenants/eta/keys/" + id, token, null).status());
        assertEquals(404, http.send("DELETE", "/admin/v1/tenants/eta/keys/" + id, token, null).status());
        assertEquals(204, http.send("DELETE", "/admin/v1/tenants/eta", token, null).status());
        String log = server.log();
        assertTrue(log.contains("admin action=\"key create eta " + id + "\" by=admin-token:ops"), log);
        assertFalse(log.contains(secret), "a key is never logged");
    }

    @Test
    void aTenantsStreamsAndKeysAreNotReachedThroughAnotherTenant() throws Exception {
        assertEquals(201, http.send("POST", "/admin/v1/tenants", token, "{\"name\": \"one\"}").status());
        assertEquals(201, http.send("POST", "/admin/v1/tenants", token, "{\"name\": \"two\"}").status());
        assertEquals(201, http.send("POST", "/admin/v1/tenants/one/streams", token,
                "{\"name\": \"news\", \"kind\": \"broadcast\"}").status());
        String id = http.send("POST", "/admin/v1/tenants/one/keys", token, null).json().path("key").path("id").asText();
        String news = "/admin/v1/tenants/two/streams/news";
        for (HttpClientCurl.Response r : List.of(http.get(news, token),
                http.send("PATCH", news, token, "{\"per_second\": 1}"),
                http.send("POST", news + "/pause", token, null), http.send("POST", news + "/resume", token, null),
                http.send("DELETE", "/admin/v1/tenants/two/keys/" + id, token, null),
                http.get("/admin/v1/tenants/nobody/keys", token))) {
            assertEquals(404, r.status(), r.describe());
            assertEquals("not_found", r.json().path("error").path("code").asText(), r.describe());
        }
        assertEquals(0, http.get("/admin/v1/tenants/two/streams", token).json().size());
        assertEquals(0, http.get("/admin/v1/tenants/two/keys", token).json().size());
        assertEquals(id, http.get("/admin/v1/tenants/one/keys", token).json().path(0).path("id").asText(),
                "one's key is still there");
        JsonNode stream = http.get("/admin/v1/tenants/one/streams/news", token).json();
        assertEquals(0, stream.path("per_second").asLong(), stream.toString());
        assertFalse(stream.path("paused").asBoolean(), stream.toString());
    }

    private static String sendmail(String recipient) throws Exception {
        byte[] message = ("From: a@localhost\r\nTo: " + recipient + "\r\nSubject: api test\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8);
        Programs.Result r = home.petrelOk(message, "sendmail", "-f", "a@localhost", recipient);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("queued as ([0-9B-Zb]+)").matcher(r.output());
        if (m.find()) {
            return m.group(1);
        }
        List<String> before = home.queueList();
        return before.getLast();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("messages").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }
}
