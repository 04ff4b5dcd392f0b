package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suppression lists end to end: a real server process delivers to a sink (aiosmtpd on 127.0.0.2, found through
 * dnsmasq) that answers 550 5.1.1 for some recipients; the bounce suppresses the recipient for the sending tenant,
 * and the next message to it is refused by the send API ({@code suppressed}) and by SMTP with a key or a user's
 * password ({@code 550 5.7.1} at RCPT), with a {@code message.suppressed} event; another tenant still sends to it.
 * A later delivery does not lift a complaint. The routes answer each tenant its own entries only.
 */
class SuppressionTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ANN = "ann@acme.test";
    private static final String PASSWORD = "a good password";
    private static final String USER_UNKNOWN = "550 5.1.1 <%s>: Recipient address rejected: User unknown";

    private static SendApiHome api;
    private static Dnsmasq dns;
    private static BouncingSink sink;

    @BeforeAll
    static void start() throws Exception {
        api = new SendApiHome(scratch.newFolder("home"));
        api.home.petrelOk((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8), "user", "add", ANN);
        dns = new Dnsmasq("ready.sink.test", List.of("--local=/sink.test/", "--local=/acme.test/",
                "--local=/bravo.test/", "--host-record=ready.sink.test,127.0.0.1",
                "--mx-host=sink.test,mx.sink.test,10", "--host-record=mx.sink.test," + BouncingSink.ADDRESS));
        sink = BouncingSink.start(scratch.newFolder("sink"));
        // the server's mail for other domains goes to the sink, through the dnsmasq
        Path config = api.home.config();
        Files.writeString(config, Files.readString(config)
                .replace("nameservers = [\"127.0.0.1:9\"]", "nameservers = [\"" + dns.address() + "\"]")
                .replace("remote_port = 9", "remote_port = " + sink.port()));
        api.start();
        // the broadcast stream news needs consent on record (CASL): suppression is what these tests are about
        api.consent(api.acmeKey, "gone@sink.test", "fine@sink.test", "reader@sink.test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.stop();
        }
        if (sink != null) {
            sink.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static Map<String, Object> message(String from, String stream, String... to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", List.of(to));
        body.put("subject", "suppression test");
        body.put("text", "hello");
        if (stream != null) {
            body.put("stream", stream);
        }
        return body;
    }

    /** Each recipient's "address status reason" (reason only when refused) in a send API answer. */

    /** The tenant's entries of the address, once there is one (the writer follows the feed). */
    private static JsonNode suppressedEventually(String key, String address) throws Exception {
        return Poll.until(WAIT, "a suppression of " + address, () -> {
            SendApiHome.Answer a = api.send("GET", "/v1/suppressions/" + address, key, null);
            return a.status() == 200 ? a.json().path("suppressions") : null;
        });
    }

    /** What smtplib was told, sending one message to {@code rcpt} through submission with these credentials. */
    private static JsonNode smtp(String user, String password, String rcpt, String extraHeaders) throws Exception {
        Path file = Files.createTempFile(api.home.dir(), "message-", ".eml");
        Files.writeString(file, "From: " + ANN + "\r\nTo: " + rcpt + "\r\n" + extraHeaders
                + "Subject: by smtp\r\n\r\nhello\r\n");
        return Smtplib.run(api.home.dir(), "send", "--port", String.valueOf(api.server.port("submission")), "--tls",
                "starttls", "--auth", "plain", "--user", user, "--password", password, "--sender", ANN, "--rcpt",
                rcpt, "--message", file.toString());
    }

    @Test
    void aHardBounceSuppressesTheRecipientForItsTenantOverHttpAndSmtpButNotForAnother() throws Exception {
        String gone = "gone@sink.test";
        sink.answer(gone, USER_UNKNOWN.formatted(gone));
        assertEquals(200, api.post("/v1/messages", api.acmeKey, message(ANN, null, gone)).status());
        JsonNode entry = suppressedEventually(api.acmeKey, gone).get(0);
        assertEquals("hard_bounce", entry.path("reason").asText(), entry.toString());
        assertTrue(entry.path("stream").isNull(), "a hard bounce holds on every stream: " + entry);
        String day = entry.path("created").asText().substring(0, 10);
        String why = "Recipient suppressed: hard bounce on " + day;

        SendApiHome.Answer some = api.post("/v1/messages", api.acmeKey, message(ANN, "news", gone, "fine@sink.test"));
        assertEquals(200, some.status(), some.toString());
        assertEquals(List.of(gone + " refused suppressed", "fine@sink.test accepted"), SendApiHome.results(some));
        assertEquals(why, some.json().path("recipients").get(0).path("message").asText());
        SendApiHome.Answer none = api.post("/v1/messages", api.receiptsKey, message(ANN, null, gone));
        assertEquals(422, none.status(), none.toString());
        assertEquals("no_recipient_accepted", none.code());
        assertEquals(List.of(gone + " refused suppressed"), SendApiHome.results(none));

        for (String[] credentials : List.of(new String[] {"apikey", api.acmeKey}, new String[] {ANN, PASSWORD})) {
            JsonNode r = smtp(credentials[0], credentials[1], gone, "");
            assertEquals(550, r.path("rcpt").get(0).asInt(), r.toString());
            assertEquals("5.7.1 " + why, r.path("rcpt").get(1).asText());
        }
        SendApiHome.Answer bravo = api.post("/v1/messages", api.bravoKey, message("bob@bravo.test", null, gone));
        assertEquals(List.of(gone + " accepted"), SendApiHome.results(bravo), "bravo has not suppressed it");

        List<JsonNode> events = suppressedEvents(api.acmeKey, gone, 4);
        assertEquals("5.7.1", events.getFirst().path("status").asText());
        assertEquals("550 5.7.1 " + why, events.getFirst().path("reply").asText());
        assertEquals("news", events.getFirst().path("stream").asText(), "the send API's event has the stream");
        assertEquals(List.of(), suppressedEvents(api.bravoKey, gone, 0), "bravo sees none of acme's events");
    }

    /** The tenant's message.suppressed events of the recipient, once there are {@code count}. */
    private static List<JsonNode> suppressedEvents(String key, String recipient, int count) throws Exception {
        return Poll.until(Duration.ofSeconds(10), count + " message.suppressed events of " + recipient, () -> {
            List<JsonNode> found = new ArrayList<>();
            api.send("GET", "/v1/events?after=0&limit=1000", key, null).json().path("events").forEach(e -> {
                if (e.path("type").asText().equals("message.suppressed")
                        && e.path("recipient").asText().equals(recipient)) {
                    found.add(e);
                }
            });
            found.forEach(e -> assertEquals("acme", e.path("tenant").asText(), e.toString()));
            return found.size() == count ? found : null;
        });
    }

    @Test
    void aLaterDeliveryToTheAddressDoesNotLiftAComplaint() throws Exception {
        String later = "later@sink.test";
        sink.answer(later, "451 4.2.1 <" + later + ">: Mailbox busy, try again later");
        assertEquals(200, api.post("/v1/messages", api.acmeKey, message(ANN, null, later)).status());
        Poll.until(WAIT, "the sink's 451 to " + later, () -> sink.rcpts().stream()
                .filter(l -> l.startsWith(later + " 451")).findFirst().orElse(null));
        // a complaint arrives for the message while it waits in the queue (imported, as a feedback loop would add it)
        api.home.petrelOk(null, "suppression", "add", "acme", later, "--reason", "complaint");
        sink.answer(later, null);
        api.home.petrelOk(null, "queue", "flush");
        Poll.until(WAIT, "the delivered event", () -> events(api.acmeKey, "message.delivered", later).isEmpty()
                ? null : true);
        assertTrue(sink.rcpts().contains(later + " 250 2.1.5 Ok"), "the sink took it: " + sink.rcpts());
        // the writer reads the feed in order: once a bounce after that delivery is suppressed, it has read it too
        String after = "after@sink.test";
        sink.answer(after, USER_UNKNOWN.formatted(after));
        api.post("/v1/messages", api.acmeKey, message(ANN, null, after));
        suppressedEventually(api.acmeKey, after);

        JsonNode entries = suppressedEventually(api.acmeKey, later);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("complaint", entries.get(0).path("reason").asText());
        assertEquals(List.of(later + " refused suppressed"),
                SendApiHome.results(api.post("/v1/messages", api.acmeKey, message(ANN, null, later))));
        Programs.Result listed = api.home.petrelOk(null, "suppression", "list", "acme", later);
        assertTrue(listed.stdout().startsWith(later + " * complaint "), listed.describe());
    }

    private static List<JsonNode> events(String key, String type, String recipient) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        api.send("GET", "/v1/events?after=0&limit=1000", key, null).json().path("events").forEach(e -> {
            if (e.path("type").asText().equals(type) && e.path("recipient").asText().equals(recipient)) {
                found.add(e);
            }
        });
        return found;
    }

    @Test
    void eachTenantReachesItsOwnEntriesOnlyAndAnotherTenantsAnswer404() throws Exception {
        String address = "iso@sink.test";
        SendApiHome.Answer added = api.post("/v1/suppressions", api.acmeKey, Map.of("address", address));
        assertEquals(201, added.status(), added.toString());
        assertEquals("manual", added.json().path("reason").asText());
        for (String method : List.of("GET", "DELETE")) {
            SendApiHome.Answer foreign = api.send(method, "/v1/suppressions/" + address, api.bravoKey, null);
            assertEquals(404, foreign.status(), method + " " + foreign);
            assertEquals("not_found", foreign.code());
        }
        assertEquals(404, api.send("GET", "/v1/suppressions/" + address, api.adminToken, null).status(),
                "an admin token acts for default on /v1");
        assertEquals(200, api.send("GET", "/admin/v1/tenants/acme/suppressions/" + address, api.adminToken, null)
                .status());
        assertEquals(404, api.send("GET", "/admin/v1/tenants/nosuch/suppressions", api.adminToken, null).status());
        JsonNode bravoList = api.send("GET", "/v1/suppressions", api.bravoKey, null).json();
        bravoList.path("suppressions").forEach(s -> assertTrue(!s.path("address").asText().equals(address)));
        assertEquals(200, api.send("GET", "/v1/suppressions/" + address, api.acmeKey, null).status());
        assertEquals(204, api.send("DELETE", "/v1/suppressions/" + address, api.acmeKey, null).status());
        assertEquals(404, api.send("GET", "/v1/suppressions/" + address, api.acmeKey, null).status());
    }

    @Test
    void theRoutesCheckWhatTheyAreGivenAndPageTheList() throws Exception {
        SendApiHome.Answer unknown = api.post("/v1/suppressions", api.bravoKey,
                Map.of("address", "x@sink.test", "stream", "news"));
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("tenant bravo has no stream news", unknown.message());
        assertEquals(400, api.post("/v1/suppressions", api.bravoKey, Map.of("address", "not an address")).status());
        assertEquals(400, api.post("/v1/suppressions", api.bravoKey,
                Map.of("address", "x@sink.test", "reason", "bored")).status());
        for (String name : List.of("p1", "p2", "p3")) {
            assertEquals(201, api.post("/admin/v1/tenants/bravo/suppressions", api.adminToken,
                    Map.of("address", name + "@sink.test")).status());
        }
        List<String> seen = new ArrayList<>();
        String path = "/v1/suppressions?limit=2";
        for (int pages = 0; path != null && pages < 10; pages++) {
            JsonNode page = api.send("GET", path, api.bravoKey, null).json();
            page.path("suppressions").forEach(s -> seen.add(s.path("address").asText()));
            path = page.path("next").isNull() ? null : "/v1/suppressions?limit=2&after=" + page.path("next").asText();
        }
        // bravo's list may hold its own bounces from the other tests too: each entry once, in order
        assertEquals(seen.stream().sorted().distinct().toList(), seen);
        assertEquals(List.of("p1@sink.test", "p2@sink.test", "p3@sink.test"),
                seen.stream().filter(a -> a.startsWith("p")).toList());
        assertEquals(400, api.send("GET", "/v1/suppressions?after=garbage", api.bravoKey, null).status());
        assertEquals(400, api.send("GET", "/v1/suppressions?limit=0", api.bravoKey, null).status());
    }

    @Test
    void anUnsubscribeOfAStreamRefusesItsKeyAtRcptAndAStreamChosenByHeaderAtTheEndOfData() throws Exception {
        String reader = "reader@sink.test";
        api.home.petrelOk(null, "suppression", "add", "acme", reader, "--stream", "receipts", "--reason",
                "unsubscribe");
        String day = suppressedEventually(api.acmeKey, reader).get(0).path("created").asText().substring(0, 10);
        JsonNode scoped = smtp("apikey", api.receiptsKey, reader, "");
        assertEquals(550, scoped.path("rcpt").get(0).asInt(), scoped.toString());
        assertEquals("5.7.1 Recipient suppressed: unsubscribe from stream receipts on " + day,
                scoped.path("rcpt").get(1).asText());
        // a key of any stream: RCPT cannot know the stream its message will choose, the end of DATA can
        JsonNode chosen = smtp("apikey", api.acmeKey, reader, "X-Petrel-Stream: receipts\r\n");
        assertEquals(250, chosen.path("rcpt").get(0).asInt(), chosen.toString());
        assertEquals(550, chosen.path("data").get(0).asInt(), chosen.toString());
        assertEquals("5.7.1 Message refused: recipient " + reader + " is suppressed: unsubscribe from stream receipts"
                + " on " + day, chosen.path("data").get(1).asText());
        JsonNode news = smtp("apikey", api.acmeKey, reader, "X-Petrel-Stream: news\r\n");
        assertEquals(250, news.path("data").get(0).asInt(), "another stream of acme still sends: " + news);
        assertEquals(List.of(reader + " refused suppressed"),
                SendApiHome.results(api.post("/v1/messages", api.acmeKey, message(ANN, "receipts", reader))));
        assertEquals(List.of(reader + " accepted"),
                SendApiHome.results(api.post("/v1/messages", api.acmeKey, message(ANN, "news", reader))));
    }

    @Test
    void theCommandLineAddsListsExportsAndRemovesWithItsExitStatus() throws Exception {
        Programs.Result added = api.home.petrelOk(null, "suppression", "add", "bravo", "Cli@Sink.Test");
        assertTrue(added.stdout().matches("cli@sink\\.test suppressed for tenant bravo on every stream: added by hand on"
                + " \\d{4}-\\d\\d-\\d\\d\\n"), added.describe());
        fails(1, "petrel: no tenant nosuch", "suppression", "add", "nosuch", "x@sink.test");
        fails(1, "petrel: tenant bravo has no stream news", "suppression", "add", "bravo", "x@sink.test", "--stream",
                "news");
        fails(1, "ADDRESS", "suppression", "add", "bravo", "not-an-address");
        fails(1, "a suppression's reason is one of manual, hard_bounce, unsubscribe, complaint", "suppression", "add",
                "bravo", "x@sink.test", "--reason", "bored");
        fails(2, "Missing required parameter", "suppression", "add", "bravo");

        Programs.Result listed = api.home.petrelOk(null, "suppression", "list", "bravo", "cli@sink.test");
        assertTrue(listed.stdout().matches("cli@sink\\.test \\* manual \\S+Z\\n"), listed.describe());
        fails(1, "petrel: never@sink.test is not suppressed for tenant bravo", "suppression", "list", "bravo",
                "never@sink.test");
        String csv = api.home.petrelOk(null, "suppression", "export", "bravo", "--format", "csv").stdout();
        assertTrue(csv.startsWith("address,stream,reason,created,source_event\r\n"), csv);
        assertTrue(csv.contains("\r\ncli@sink.test,,manual,"), csv);
        JsonNode json = SendApiHome.JSON.readTree(api.home.petrelOk(null, "suppression", "export", "bravo").stdout());
        assertTrue(json.isArray() && json.toString().contains("\"address\":\"cli@sink.test\""), json.toString());
        fails(1, "the format is json or csv, not xml", "suppression", "export", "bravo", "--format", "xml");

        fails(1, "petrel: no suppression of cli@sink.test for tenant bravo on stream x", "suppression", "remove",
                "bravo", "cli@sink.test", "--stream", "x");
        api.home.petrelOk(null, "suppression", "remove", "bravo", "cli@sink.test");
        fails(1, "petrel: no suppression of cli@sink.test for tenant bravo on every stream", "suppression",
                "remove", "bravo", "cli@sink.test");
    }

    private static void fails(int status, String expected, String... args) throws Exception {
        Programs.Result r = api.home.petrel(null, args);
        assertEquals(status, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains(expected), r.describe());
    }
}
