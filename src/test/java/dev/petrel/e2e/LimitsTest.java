package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rates and daily quotas of tenants and streams on a running server, set by the command line and the admin API,
 * met by Python's smtplib sending with API keys: the exact answers, a change that shows within a second, a quota
 * that outlives a crash of the server, and one tenant's limits that never touch another's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String OUTSIDE = "someone@elsewhere.test";
    // SendLimits.REFRESH: how old the limits a server decides with may be
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private static PetrelHome home;
    private static ServerProcess server;
    private static HttpClientCurl http;
    private static String receiptsKey;
    private static String anyKey;
    private static String bravoKey;
    private static String deltaKey;

    @BeforeAll
    static void setUp() throws Exception {
        Programs.require("python3", "python3");
        home = PetrelHome.create(scratch.newFolder("home"));
        for (String tenant : List.of("acme", "bravo", "delta")) {
            home.petrelOk(null, "tenant", "add", tenant);
            home.petrelOk(null, "domain", "add", tenant + ".test", "--tenant", tenant);
        }
        home.petrelOk(null, "stream", "add", "acme", "receipts", "--kind", "transactional");
        home.petrelOk(null, "stream", "add", "acme", "news", "--kind", "broadcast");
        // broadcast mail needs its sender identified and consent on record (CASL)
        home.petrelOk(null, "tenant", "set", "acme", "--identification", "Acme Inc., 1 Main St, help@acme.test");
        home.petrelOk(null, "consent", "add", "acme", OUTSIDE, "--kind", "express", "--at", "2026-01-01");
        home.petrelOk(null, "stream", "add", "bravo", "receipts", "--kind", "transactional");
        String token = home.petrelOk(null, "admin-token", "create", "ops").stdout().strip();
        anyKey = key("acme");
        bravoKey = key("bravo", "--stream", "receipts");
        deltaKey = key("delta");
        server = home.start();
        http = new HttpClientCurl(home.dir(), "http://127.0.0.1:" + server.port("http"));
        // the scoped key through the admin API: the key is in its answer, and only there
        HttpClientCurl.Response made = http.send("POST", "/admin/v1/tenants/acme/keys", token,
                "{\"stream\": \"receipts\"}");
        assertEquals(201, made.status(), made.describe());
        receiptsKey = made.json().path("secret").asText();
        HttpClientCurl.Response rate = http.send("PATCH", "/admin/v1/tenants/acme/streams/receipts", token,
                "{\"per_second\": 1}");
        assertEquals(1, rate.json().path("per_second").asLong(), rate.describe());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private static String key(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("key", "create"));
        all.addAll(List.of(args));
        return home.petrelOk(null, all.toArray(String[]::new)).stdout().strip();
    }

    @Test
    @Order(1)
    void aKeyOverItsStreamsRateGets451AtRcptAndAnotherTenantIsNotSlowed() throws Exception {
        List<JsonNode> acme = messages(send(receiptsKey, "ann@acme.test", "", 4));
        assertEquals(250, acme.getFirst().path("data").get(0).asInt(), acme.toString());
        List<JsonNode> refused = acme.stream().filter(m -> m.path("rcpt").get(0).asInt() == 451).toList();
        assertFalse(refused.isEmpty(), "4 messages at once at 1 a second: " + acme);
        assertEquals("4.7.1 Rate limit reached: stream receipts of tenant acme may send 1 message a second; try again"
                + " in 1 s", refused.getFirst().path("rcpt").get(1).asText());
        assertFalse(refused.getFirst().has("data"), "refused at RCPT: no DATA");
        // bravo has a stream of the same name, and no limits
        for (JsonNode m : messages(send(bravoKey, "bo@bravo.test", "", 4))) {
            assertEquals(250, m.path("data").get(0).asInt(), m.toString());
        }
        String metrics = Poll.until(Duration.ofSeconds(10), "the tenants' counters", () -> {
            String text = http.get("/metrics", null).body();
            return text.contains("petrel_tenant_messages_total{stream=\"receipts\",tenant=\"bravo\"} 4.0") ? text : null;
        });
        assertEquals(refused.size(), counter(metrics, "petrel_tenant_limited_total{limit=\"rate\",stream=\"receipts\","
                + "tenant=\"acme\"}"), metrics);
        assertEquals(4 - refused.size(), counter(metrics, "petrel_tenant_messages_total{stream=\"receipts\","
                + "tenant=\"acme\"}"), metrics);
        assertFalse(metrics.contains("petrel_tenant_limited_total{limit=\"rate\",stream=\"receipts\",tenant=\"bravo\""));
        Programs.Result promtool = Programs.run(home.dir(), "promtool check metrics",
                List.of(Programs.require("promtool", "prometheus"), "check", "metrics"),
                metrics.getBytes(StandardCharsets.UTF_8), Programs.CLIENT_TIMEOUT);
        assertEquals("", promtool.output().strip(), promtool.describe());
    }

    @Test
    @Order(2)
    void aStreamChosenByItsHeaderIsHeldToItsQuotaAtTheEndOfData() throws Exception {
        Programs.Result set = home.petrelOk(null, "stream", "set", "acme", "news", "--per-day", "1");
        assertEquals("stream news of tenant acme limits set: per_second=0 per_day=1\n", set.stdout());
        List<JsonNode> sent = messages(send(anyKey, "ann@acme.test", "X-Petrel-Stream: news\r\n", 2));
        assertEquals(250, sent.get(0).path("data").get(0).asInt(), sent.toString());
        assertEquals(250, sent.get(1).path("rcpt").get(0).asInt(), "the tenant has room: " + sent);
        assertEquals(451, sent.get(1).path("data").get(0).asInt(), sent.toString());
        assertEquals("4.7.1 Daily quota reached: stream news of tenant acme may send 1 message a day (UTC); try again"
                + " after " + tomorrow() + "T00:00:00Z", sent.get(1).path("data").get(1).asText());
        assertEquals(250, messages(send(anyKey, "ann@acme.test", "", 1)).getFirst().path("data").get(0).asInt(),
                "on no stream, the tenant's own limits only");
        // the send API asks the same limits: 429 with Retry-After, until midnight UTC for a quota
        HttpClientCurl.Response quota = http.send("POST", "/v1/messages", anyKey, message("news"));
        assertEquals(429, quota.status(), quota.describe());
        assertEquals("rate_limited", quota.json().path("error").path("code").asText(), quota.describe());
        assertEquals("Daily quota reached: stream news of tenant acme may send 1 message a day (UTC); try again after "
                + tomorrow() + "T00:00:00Z", quota.json().path("error").path("message").asText());
        long untilMidnight = Duration.between(java.time.Instant.now(),
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds();
        long retryAfter = Long.parseLong(header(quota, "Retry-After"));
        assertTrue(Math.abs(retryAfter - untilMidnight) <= 5, retryAfter + " s against " + untilMidnight + " s");
    }

    @Test
    @Order(3)
    void theSendApiOverAKeysRateAnswers429WithRetryAfter() throws Exception {
        List<HttpClientCurl.Response> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(http.send("POST", "/v1/messages", receiptsKey, message("receipts")));
        }
        HttpClientCurl.Response limited = answers.stream().filter(a -> a.status() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("3 messages at once at 1 a second: " + answers));
        assertEquals("Rate limit reached: stream receipts of tenant acme may send 1 message a second; try again in 1"
                + " s", limited.json().path("error").path("message").asText(), limited.describe());
        assertEquals("1", header(limited, "Retry-After"), limited.describe());
        assertTrue(answers.stream().allMatch(a -> a.status() == 200 || a.status() == 429), answers.toString());
    }

    @Test
    @Order(4)
    void aLimitSetByTheCommandLineOnARunningServerHoldsWithinASecond() throws Exception {
        // bravo has sent 4 messages today, and the server has its (absent) limits in hand
        home.petrelOk(null, "tenant", "set", "bravo", "--per-day", "4");
        long set = System.nanoTime();
        JsonNode refusal = Poll.until(Duration.ofSeconds(15), "a refusal after the quota was set", () -> {
            long started = System.nanoTime();
            JsonNode m = messages(send(bravoKey, "bo@bravo.test", "", 1)).getFirst();
            if (m.path("rcpt").get(0).asInt() == 451) {
                return m;
            }
            assertTrue(started - set < REFRESH.toNanos(), "a message started " + (started - set) / 1_000_000
                    + " ms after the quota was set went through: " + m);
            return null;
        });
        assertTrue(refusal.path("rcpt").get(1).asText().startsWith("4.7.1 Daily quota reached: tenant bravo may send 4"
                + " messages a day (UTC)"), refusal.toString());
    }

    @Test
    @Order(5)
    void aReachedQuotaGetsItsAnswerAndOutlivesACrashOfTheServer() throws Exception {
        home.petrelOk(null, "tenant", "set", "delta", "--per-day", "2", "--per-second", "0");
        // a quota counts messages: three recipients of one message are one
        JsonNode three = messages(send(deltaKey, "di@delta.test", "", 1, OUTSIDE, "b@elsewhere.test",
                "c@elsewhere.test")).getFirst();
        assertEquals("[[250,\"2.1.5 Ok\"],[250,\"2.1.5 Ok\"],[250,\"2.1.5 Ok\"]]", three.path("rcpts").toString());
        assertEquals(250, three.path("data").get(0).asInt(), three.toString());
        List<JsonNode> sent = messages(send(deltaKey, "di@delta.test", "", 2));
        assertEquals(250, sent.get(0).path("data").get(0).asInt(), sent.toString());
        String quota = "4.7.1 Daily quota reached: tenant delta may send 2 messages a day (UTC); try again after "
                + tomorrow() + "T00:00:00Z";
        assertEquals(451, sent.get(1).path("rcpt").get(0).asInt(), sent.toString());
        assertEquals(quota, sent.get(1).path("rcpt").get(1).asText());
        // written by the server's flush about once a second, not at its stop: then SIGKILL
        Poll.until(Duration.ofSeconds(10), "delta's count in the store", () -> storedCount("delta") == 2 ? true : null);
        server.killHard();
        server = home.start();
        JsonNode after = messages(send(deltaKey, "di@delta.test", "", 1)).getFirst();
        assertEquals(451, after.path("rcpt").get(0).asInt(), "after the restart: " + after);
        assertEquals(quota, after.path("rcpt").get(1).asText());
        JsonNode other = messages(send(anyKey, "ann@acme.test", "", 1)).getFirst();
        assertEquals(250, other.path("data").get(0).asInt(), "another tenant sends on: " + other);
    }

    private static JsonNode send(String key, String sender, String headers, int count, String... recipients)
            throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.writeString(file, "From: <" + sender + ">\r\nTo: <" + OUTSIDE + ">\r\nSubject: limits\r\n" + headers
                + "\r\nhello\r\n");
        List<String> args = new ArrayList<>(List.of("send", "--port", String.valueOf(server.port("submission")),
                "--tls", "starttls", "--auth", "plain", "--user", "apikey", "--password", key, "--sender", sender,
                "--message", file.toString(), "--count", String.valueOf(count)));
        for (String to : recipients.length == 0 ? new String[] {OUTSIDE} : recipients) {
            args.addAll(List.of("--rcpt", to));
        }
        return Smtplib.run(home.dir(), args.toArray(String[]::new));
    }

    private static String message(String stream) {
        return "{\"from\": \"ann@acme.test\", \"to\": [\"" + OUTSIDE + "\"], \"subject\": \"limits\", \"text\":"
                + " \"hello\", \"stream\": \"" + stream + "\"}";
    }

    private static String header(HttpClientCurl.Response r, String name) {
        Matcher m = Pattern.compile("^" + name + ": *(\\S+)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE)
                .matcher(r.headers());
        return m.find() ? m.group(1) : "";
    }

    private static List<JsonNode> messages(JsonNode result) {
        assertEquals(235, result.path("auth").get(0).asInt(), result.toString());
        List<JsonNode> out = new ArrayList<>();
        result.path("messages").forEach(out::add);
        return out;
    }

    private static String tomorrow() {
        return LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    }

    private static long counter(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    // the tenant's count of today in the embedded store, as the server last wrote it
    private static long storedCount(String tenant) throws Exception {
        String url = "jdbc:sqlite:" + home.dataDir().resolve("petrel.db");
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement s = c.prepareStatement("SELECT messages FROM send_counts WHERE tenant = ? AND stream = ''"
                     + " AND day = ?")) {
            s.setString(1, tenant);
            s.setLong(2, LocalDate.now(ZoneOffset.UTC).toEpochDay());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }
}
