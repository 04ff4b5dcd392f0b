package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.queue.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenants, streams and API keys from the command line, and SMTP submission with a key (AUTH as user apikey,
 * through Python's smtplib) on a running server: the key's tenant and stream in the event, X-Petrel-* headers
 * gone from the queued message, and every refusal with its answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String ANN = "ann@acme.test";
    private static final String OUTSIDE = "someone@elsewhere.test";

    private static PetrelHome home;
    private static ServerProcess server;
    private static String anyKey;
    private static String receiptsKey;
    private static String bravoKey;

    @BeforeAll
    static void setUp() throws Exception {
        Programs.require("python3", "python3");
        home = PetrelHome.create(scratch.newFolder("home"));
        ok("tenant acme added", "tenant", "add", "acme");
        ok("tenant bravo added", "tenant", "add", "Bravo");
        ok("domain acme.test added", "domain", "add", "acme.test", "--tenant", "acme");
        ok("domain bravo.test added", "domain", "add", "bravo.test", "--tenant", "bravo");
        Programs.Result user = home.petrelOk("a good password\n".getBytes(StandardCharsets.UTF_8), "user", "add", ANN,
                "--tenant", "acme");
        assertTrue(user.stdout().contains("user " + ANN + " added"), user.describe());
        ok("stream receipts (transactional) added to tenant acme", "stream", "add", "acme", "receipts", "--kind",
                "transactional", "--ehlo", "out.acme.test");
        ok("stream news (broadcast) added to tenant acme", "stream", "add", "acme", "news", "--kind", "broadcast");
        // mail on news is broadcast: its recipient needs consent on record (CASL)
        home.petrelOk(null, "consent", "add", "acme", OUTSIDE, "--kind", "express", "--at", "2026-01-01");
        anyKey = key("acme");
        receiptsKey = key("acme", "--stream", "receipts");
        bravoKey = key("bravo");
        server = home.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static void ok(String expected, String... args) throws Exception {
        Programs.Result r = home.petrelOk(null, args);
        assertTrue(r.stdout().contains(expected), r.describe());
    }

    private static void fails(int status, String expected, String... args) throws Exception {
        Programs.Result r = home.petrel(null, args);
        assertEquals(status, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains(expected), r.describe());
    }

    private static String key(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("key", "create"));
        all.addAll(List.of(args));
        Programs.Result r = home.petrelOk(null, all.toArray(String[]::new));
        String key = r.stdout().strip();
        assertTrue(key.matches("pk_[a-z2-9]{8}_[A-Za-z0-9_-]{43}"), r.describe());
        assertTrue(r.stderr().contains("API key " + key.substring(3, 11) + " of tenant " + args[0]), r.describe());
        return key;
    }

    @Test
    @Order(1)
    void theCommandsListWhatEachTenantHasAndRefuseWhatBreaksARule() throws Exception {
        Programs.Result tenants = home.petrelOk(null, "tenant", "list");
        assertTrue(tenants.stdout().startsWith("default "), tenants.describe());
        assertTrue(tenants.stdout().contains("acme domains=1 users=1 keys=2\n"), tenants.describe());
        assertTrue(tenants.stdout().contains("bravo domains=1 users=0 keys=1\n"), tenants.describe());
        // a name, a mailing address and an email address, as CASL 6(2) asks of broadcast mail
        ok("tenant acme identification set", "tenant", "set", "acme", "--identification",
                "Acme Inc., 1 Main St, help@acme.test");
        assertTrue(home.petrelOk(null, "tenant", "list").stdout().contains("identification=Acme Inc., 1 Main St"));
        assertTrue(home.petrelOk(null, "domain", "list").stdout().contains("acme.test sending tenant=acme\n"));
        assertTrue(home.petrelOk(null, "domain", "list").stdout().contains("localhost local\n"), "default: as before");
        assertTrue(home.petrelOk(null, "user", "list").stdout().contains(ANN + " tenant=acme\n"));
        assertEquals("news broadcast\nreceipts transactional ehlo=out.acme.test\n",
                home.petrelOk(null, "stream", "list", "acme").stdout());
        String acmeKeys = home.petrelOk(null, "key", "list", "acme").stdout();
        assertTrue(acmeKeys.contains(anyKey.substring(3, 11) + " * "), acmeKeys);
        assertTrue(acmeKeys.contains(receiptsKey.substring(3, 11) + " receipts "), acmeKeys);
        assertFalse(acmeKeys.contains(bravoKey.substring(3, 11)), "B's key listed for A: " + acmeKeys);
        assertFalse(acmeKeys.contains(anyKey), "a key is shown only once");

        fails(1, "there is a tenant named acme already", "tenant", "add", "acme");
        fails(1, "a tenant name is 1 to 63 lower-case letters", "tenant", "add", "no_underscores");
        fails(1, "the tenant default always exists; it cannot be removed", "tenant", "remove", "default");
        fails(1, "tenant acme still has 1 user(s), 1 domain(s), 2 API key(s); remove or revoke them first",
                "tenant", "remove", "acme");
        fails(1, "no tenant nobody", "tenant", "remove", "nobody");
        fails(1, "no tenant nobody", "tenant", "set", "nobody", "--identification", "x");
        fails(2, "Missing required argument(s): ([--per-second=N] [--per-day=N] [--identification=TEXT])", "tenant",
                "set", "acme");
        fails(1, "tenant acme has a stream named news already", "stream", "add", "acme", "news", "--kind",
                "broadcast");
        fails(1, "a stream's kind is transactional or broadcast, not marketing", "stream", "add", "acme", "promo",
                "--kind", "marketing");
        fails(2, "Missing required option: '--kind", "stream", "add", "acme", "promo");
        fails(1, "no tenant nobody (petrel tenant add nobody)", "stream", "add", "nobody", "s", "--kind",
                "broadcast");
        fails(1, "tenant acme has no stream nope", "key", "create", "acme", "--stream", "nope");
        fails(1, "tenant bravo has no stream receipts", "key", "create", "bravo", "--stream", "receipts");
        fails(1, "no API key zzzzzzzz", "key", "revoke", "zzzzzzzz");
        fails(1, "domain acme.test belongs to tenant acme", "domain", "add", "acme.test", "--tenant", "bravo");
        fails(1, "tenant acme has no stream nope", "stream", "pause", "acme", "nope");
        fails(1, "tenant bravo has no stream news", "stream", "pause", "bravo", "news");
        ok("stream news of tenant acme paused", "stream", "pause", "acme", "news");
        assertTrue(home.petrelOk(null, "stream", "list", "acme").stdout().contains("news broadcast paused\n"));
        ok("stream news of tenant acme resumed", "stream", "resume", "acme", "news");
        ok("tenant gone added", "tenant", "add", "gone");
        ok("tenant gone removed", "tenant", "remove", "gone");
    }

    @Test
    @Order(2)
    void aKeySendsOnTheStreamItChoosesAndItsHeadersAreGoneFromTheQueuedMessage() throws Exception {
        JsonNode r = send(anyKey, ANN, message(ANN, "X-Petrel-Stream: news\r\nX-Petrel-Tag: welcome\r\n"
                + "X-Petrel-Metadata-order: 42\r\nx-petrel-metadata-Customer:\r\n c-7\r\n"));
        String id = queuedId(r);
        StoredMessage stored = home.readPresent(id);
        String content = new String(stored.content(), StandardCharsets.UTF_8);
        assertFalse(content.toLowerCase().contains("x-petrel"), content);
        assertTrue(content.contains("Subject: hello\r\n"), content);
        assertEquals("apikey:" + anyKey.substring(3, 11), stored.message().envelope().authenticatedUser());
        JsonNode event = queuedEvent(id);
        assertEquals("acme", event.path("tenant").asText(), event.toString());
        assertEquals("news", event.path("stream").asText(), event.toString());
        assertEquals("welcome", event.path("tag").asText(), event.toString());
        assertEquals("{\"order\":\"42\",\"Customer\":\"c-7\"}", event.path("metadata").toString());
    }

    @Test
    @Order(3)
    void aKeyScopedToOneStreamSendsOnItAndMayNotChooseAnother() throws Exception {
        // AUTH LOGIN this time: user name and key in two steps
        String id = queuedId(send("login", receiptsKey, ANN, message(ANN, "")));
        JsonNode event = queuedEvent(id);
        assertEquals("acme", event.path("tenant").asText(), event.toString());
        assertEquals("receipts", event.path("stream").asText(), event.toString());
        JsonNode other = send(receiptsKey, ANN, message(ANN, "X-Petrel-Stream: news\r\n"));
        assertEquals(550, other.path("data").get(0).asInt(), other.toString());
        assertEquals("5.7.1 Message refused: this API key may send only on stream receipts, not news",
                other.path("data").get(1).asText());
        JsonNode unknown = send(anyKey, ANN, message(ANN, "X-Petrel-Stream: nope\r\n"));
        assertEquals(550, unknown.path("data").get(0).asInt(), unknown.toString());
        assertEquals("5.7.1 Message refused: no stream nope for this API key's tenant",
                unknown.path("data").get(1).asText());
    }

    @Test
    @Order(4)
    void aKeySendsOnlyFromItsTenantsDomains() throws Exception {
        JsonNode envelope = send(anyKey, "x@bravo.test", message("x@bravo.test", ""));
        assertEquals(550, envelope.path("mail").get(0).asInt(), envelope.toString());
        assertEquals("5.7.1 Sender address rejected: bravo.test is not a domain of tenant acme",
                envelope.path("mail").get(1).asText());
        JsonNode header = send(anyKey, ANN, message("x@bravo.test", ""));
        assertEquals(550, header.path("data").get(0).asInt(), header.toString());
        assertEquals("5.7.1 Sender address rejected: bravo.test is not a domain of tenant acme",
                header.path("data").get(1).asText());
        JsonNode bravo = send(bravoKey, ANN, message(ANN, ""));
        assertEquals(550, bravo.path("mail").get(0).asInt(), "B's key cannot send as A: " + bravo);
        assertEquals("5.7.1 Sender address rejected: acme.test is not a domain of tenant bravo",
                bravo.path("mail").get(1).asText());
    }

    @Test
    @Order(5)
    void aWrongKeyAndARevokedKeyAreRefusedAtOnce() throws Exception {
        String wrong = anyKey.substring(0, anyKey.length() - 1) + (anyKey.endsWith("A") ? "B" : "A");
        JsonNode bad = send(wrong, ANN, message(ANN, ""));
        assertEquals(535, bad.path("auth_error").path("code").asInt(), bad.toString());
        String revokedId = receiptsKey.substring(3, 11);
        ok("API key " + revokedId + " revoked", "key", "revoke", revokedId);
        JsonNode revoked = send(receiptsKey, ANN, message(ANN, ""));
        assertEquals(535, revoked.path("auth_error").path("code").asInt(), "the running server: " + revoked);
        assertTrue(revoked.path("auth_error").path("message").asText().startsWith("5.7.8 "), revoked.toString());
        assertFalse(home.petrelOk(null, "key", "list", "acme").stdout().contains(revokedId));
        queuedId(send(anyKey, ANN, message(ANN, "")));
    }

    @Test
    @Order(6)
    void limitsAreSetByTheCommandLineListedAndRefusedWhenWrong() throws Exception {
        fails(1, "Invalid value for option '--per-second': '-1': messages a second are 0 (no limit) to 1000000, not -1",
                "tenant", "set", "acme", "--per-second", "-1");
        fails(1, "Invalid value for option '--per-day': 'many': a whole number of messages, 0 for no limit", "stream",
                "set", "acme", "news", "--per-day", "many");
        fails(2, "Missing required argument(s): ([--per-second=N] [--per-day=N] [--sandbox=true|false])", "stream",
                "set", "acme", "news");
        fails(1, "tenant acme has no stream nope", "stream", "set", "acme", "nope", "--per-day", "1");
        fails(1, "no tenant nobody", "tenant", "set", "nobody", "--per-day", "1");
        ok("tenant acme limits set: per_second=10 per_day=5000", "tenant", "set", "acme", "--per-second", "10",
                "--per-day", "5000");
        ok("tenant acme limits set: per_second=0 per_day=5000", "tenant", "set", "acme", "--per-second", "0");
        assertTrue(home.petrelOk(null, "tenant", "list").stdout().contains("acme domains=1 users=1 keys=1 per_day=5000"
                + " identification=Acme Inc., 1 Main St, help@acme.test\n"));
        ok("stream news of tenant acme limits set: per_second=5 per_day=0", "stream", "set", "acme", "news",
                "--per-second", "5");
        assertTrue(home.petrelOk(null, "stream", "list", "acme").stdout().contains("news broadcast per_second=5\n"));
        ok("tenant acme limits set: per_second=0 per_day=0", "tenant", "set", "acme", "--per-day", "0");
        ok("stream news of tenant acme limits set: per_second=0 per_day=0", "stream", "set", "acme", "news",
                "--per-second", "0");
    }

    private static byte[] message(String from, String petrelHeaders) {
        return ("From: Ann <" + from + ">\r\nTo: <" + OUTSIDE + ">\r\nSubject: hello\r\n" + petrelHeaders
                + "\r\nhello from a key\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode send(String key, String sender, byte[] message) throws Exception {
        return send("plain", key, sender, message);
    }

    private static JsonNode send(String auth, String key, String sender, byte[] message) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        return Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("submission")), "--tls",
                "starttls", "--auth", auth, "--user", "apikey", "--password", key, "--sender", sender, "--rcpt",
                OUTSIDE, "--message", file.toString());
    }

    private static String queuedId(JsonNode r) {
        assertEquals(250, r.path("data").get(0).asInt(), "end of DATA: " + r);
        return Queued.idIn("250 " + r.path("data").get(1).asText());
    }

    private static JsonNode queuedEvent(String id) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String line : home.petrelOk(null, "events").stdout().lines().toList()) {
            JsonNode event = json.readTree(line);
            if (event.path("message_id").asText().equals(id) && event.path("type").asText().equals("message.queued")) {
                return event;
            }
        }
        throw new AssertionError("no message.queued event for " + id);
    }
}
