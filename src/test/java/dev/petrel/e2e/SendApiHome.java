package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A home for the send API's tests: tenants {@code acme} (domain acme.test with a DKIM key, streams receipts and
 * news, a key for any stream and one for receipts only, its identification set) and {@code bravo} (domain bravo.test, one key), an admin
 * token, and clients for its HTTP listener: curl, and Java's HttpClient.
 */
final class SendApiHome {

    private static final Pattern ZONE_LINE = Pattern.compile("^(\\S+)\\. IN TXT ((?:\"[^\"]*\" ?)+)$", Pattern.MULTILINE);
    static final ObjectMapper JSON = new ObjectMapper();
    /** acme's identification: a name, a mailing address and an email address. */
    static final String IDENTIFICATION = "Acme Inc., 1 Main St, Toronto ON, help@acme.test";

    final PetrelHome home;
    final String acmeKey;
    final String receiptsKey;
    final String bravoKey;
    final String adminToken;
    final Map<String, String> dkimRecords = new LinkedHashMap<>();
    ServerProcess server;
    HttpClientCurl curl;
    private final HttpClient java = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SendApiHome(Path dir) throws Exception {
        home = PetrelHome.create(dir);
        ok("tenant", "add", "acme");
        ok("tenant", "add", "bravo");
        ok("domain", "add", "acme.test", "--tenant", "acme");
        ok("domain", "add", "bravo.test", "--tenant", "bravo");
        ok("stream", "add", "acme", "receipts", "--kind", "transactional");
        ok("stream", "add", "acme", "news", "--kind", "broadcast");
        // CASL 6(2): broadcast mail is refused without a complete identification of its sender
        ok("tenant", "set", "acme", "--identification", IDENTIFICATION);
        acmeKey = ok("key", "create", "acme").stdout().strip();
        receiptsKey = ok("key", "create", "acme", "--stream", "receipts").stdout().strip();
        bravoKey = ok("key", "create", "bravo").stdout().strip();
        adminToken = ok("admin-token", "create", "ops").stdout().strip();
        Matcher m = ZONE_LINE.matcher(ok("dkim", "keygen", "acme.test", "--selector", "s1").stdout());
        assertTrue(m.find());
        dkimRecords.put(m.group(1), String.join("", m.group(2).strip().replaceAll("^\"|\"$", "").split("\" \"")));
    }

    private Programs.Result ok(String... args) throws Exception {
        return home.petrelOk(null, args);
    }

    /** More settings: lines for the [http] table, and a [limits] table (empty for none). */
    SendApiHome configure(String http, String limits) throws Exception {
        String config = Files.readString(home.config()).replace("[http]\n", "[http]\n" + http + "\n");
        Files.writeString(home.config(), limits.isEmpty() ? config : config + "\n[limits]\n" + limits + "\n");
        return this;
    }

    /** A local domain delivered to Maildirs under the data folder, with a user: mail to it is delivered at once. */
    SendApiHome withMailbox(String user) throws Exception {
        ok("domain", "add", user.substring(user.indexOf('@') + 1), "--local");
        home.addUser(user, "mailbox-secret");
        return this;
    }

    void start() throws Exception {
        server = home.start();
        curl = new HttpClientCurl(home.dir(), base());
    }

    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port("http");
    }

    /** An answer to a request made with Java's HttpClient. */
    record Answer(int status, JsonNode json, HttpResponse<String> response) {
        String code() {
            return json.path("error").path("code").asText();
        }

        String message() {
            return json.path("error").path("message").asText();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + response.headers().map() + "\n" + response.body();
        }
    }

    /** A request with Java's HttpClient: a bearer token (or null), a JSON body (or null), more headers in pairs. */
    Answer send(String method, String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = java.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), json, r);
    }

    Answer post(String path, String token, Object body, String... headers) throws Exception {
        return send("POST", path, token, JSON.writeValueAsString(body), headers);
    }

    /** Each recipient's result in a send API answer: {@code ADDRESS accepted} or {@code ADDRESS refused REASON}. */
    static List<String> results(Answer a) {
        List<String> out = new ArrayList<>();
        a.json().path("recipients").forEach(r -> out.add(r.path("address").asText() + " " + r.path("status").asText()
                + (r.has("reason") ? " " + r.path("reason").asText() : "")));
        return out;
    }

    /** Express consent on record (given 2026-01-01) of each recipient for broadcast mail of the key's tenant. */
    void consent(String key, String... recipients) throws Exception {
        for (String to : recipients) {
            Answer a = post("/v1/consents", key, Map.of("address", to, "kind", "express", "at", "2026-01-01",
                    "evidence", Map.of("form", "newsletter signup")));
            assertEquals(201, a.status(), a.toString());
        }
    }

    /** The message.queued event of message {@code id} as the key's tenant reads it from /v1/events. */
    JsonNode queuedEvent(String key, String id) throws Exception {
        return event(key, "message.queued", id);
    }

    /** The event of {@code type} of message {@code id} as the key's tenant reads it from /v1/events. */
    JsonNode event(String key, String type, String id) throws Exception {
        return Poll.until(Duration.ofSeconds(10), "the " + type + " event of " + id, () -> {
            Answer events = send("GET", "/v1/events?after=0&limit=1000", key, null);
            for (JsonNode e : events.json().path("events")) {
                if (e.path("type").asText().equals(type) && e.path("message_id").asText().equals(id)) {
                    return e;
                }
            }
            return null;
        });
    }

    /** The queued message as Python's email package reads it (src/test/resources/mime/parse_mime.py). */
    JsonNode python(byte[] message) throws Exception {
        Path script = Path.of("src/test/resources/mime/parse_mime.py").toAbsolutePath();
        Programs.Result r = Programs.run(home.dir(), "parse_mime", List.of(Programs.require("python3", "python3"),
                script.toString()), (Base64.getEncoder().encodeToString(message) + "\n").getBytes(
                StandardCharsets.US_ASCII), Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        JsonNode parsed = JSON.readTree(r.stdout());
        assertTrue(!parsed.has("error"), r.describe());
        return parsed;
    }

    /** dkimpy's verdict on each signature, top first, with the keys keygen printed. */
    List<String> dkimpy(byte[] message) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        Path records = home.dir().resolve("dkim-records.json");
        Files.writeString(records, JSON.writeValueAsString(dkimRecords));
        Path script = Path.of("src/test/resources/mailauth/dkim_verify.py").toAbsolutePath();
        Programs.Result r = Programs.run(home.dir(), "dkimpy", List.of("/usr/bin/python3", script.toString(),
                file.toString(), records.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return new ArrayList<>(r.stdout().lines().toList());
    }
}
