package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CASL consent ledger on a real server process: consents recorded with {@code petrel consent add} (one dated
 * seven months back, an inquiry that has run out), broadcast mail refused per recipient by the send API and by SMTP
 * with a key (Python's smtplib) with {@code no_consent}, {@code consent_expired} or {@code consent_withdrawn} and a
 * {@code message.rejected} event; a one-click unsubscribe (curl) that becomes a withdrawal; a tenant without a
 * complete identification refused with 422; the evidence read back from the command line and the API, and never
 * another tenant's.
 */
class ConsentTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FROM = "news@acme.test";
    private static final Pattern LINK = Pattern.compile("List-Unsubscribe: <http://[^/>]+(/unsubscribe/[A-Za-z0-9_-]+)>");

    private static SendApiHome api;
    private static String newsKey;
    private static String bravoNewsKey;

    @BeforeAll
    static void start() throws Exception {
        api = new SendApiHome(scratch.newFolder("home"));
        newsKey = api.home.petrelOk(null, "key", "create", "acme", "--stream", "news").stdout().strip();
        api.home.petrelOk(null, "stream", "add", "acme", "offers", "--kind", "broadcast");
        // bravo sends broadcast mail too, but has told Petrel nothing about itself
        api.home.petrelOk(null, "stream", "add", "bravo", "news", "--kind", "broadcast");
        bravoNewsKey = api.home.petrelOk(null, "key", "create", "bravo", "--stream", "news").stdout().strip();
        String sevenMonthsAgo = Instant.now().minus(213, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        api.home.petrelOk(null, "consent", "add", "acme", "old@remote.test", "--kind", "implied-inquiry", "--at",
                sevenMonthsAgo, "--evidence", "asked for a quote by phone");
        api.home.petrelOk(null, "consent", "add", "acme", "Fan@Remote.test", "--kind", "express", "--at",
                "2026-02-01T09:30:00Z", "--form", "newsletter", "--url", "https://acme.test/join", "--ip",
                "192.0.2.7", "--wording", "Yes, send me Acme's news");
        api.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        api.stop();
    }

    private static Map<String, Object> message(String... to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", FROM);
        body.put("to", List.of(to));
        body.put("subject", "December news");
        body.put("text", "Our news");
        body.put("stream", "news");
        return body;
    }


    private static JsonNode smtp(String key, String rcpt, String headers) throws Exception {
        Path file = Files.createTempFile(api.home.dir(), "message-", ".eml");
        Files.writeString(file, "From: <" + FROM + ">\r\nTo: <" + rcpt + ">\r\n" + headers + "Subject: news\r\n\r\n"
                + "hello\r\n");
        return Smtplib.run(api.home.dir(), "send", "--port", String.valueOf(api.server.port("submission")), "--tls",
                "starttls", "--auth", "plain", "--user", "apikey", "--password", key, "--sender", FROM, "--rcpt", rcpt,
                "--message", file.toString());
    }

    // acme's message.rejected event of this recipient whose reply starts so, once the feed has it
    private static JsonNode rejectedEvent(String recipient, String reply) throws Exception {
        return Poll.until(WAIT, "the rejected event of " + recipient, () -> {
            for (JsonNode e : api.send("GET", "/v1/events?after=0&limit=1000", api.acmeKey, null).json()
                    .path("events")) {
                if (e.path("type").asText().equals("message.rejected") && e.path("recipient").asText().equals(recipient)
                        && e.path("reply").asText().startsWith(reply)) {
                    return e;
                }
            }
            return null;
        });
    }

    @Test
    void theSendApiRefusesEachRecipientWithoutValidConsentAndSaysWhy() throws Exception {
        SendApiHome.Answer a = api.post("/v1/messages", api.acmeKey, message("fan@remote.test", "old@remote.test",
                "nobody@remote.test"));
        assertEquals(200, a.status(), a.toString());
        assertEquals(List.of("fan@remote.test accepted", "old@remote.test refused consent_expired",
                "nobody@remote.test refused no_consent"), SendApiHome.results(a));
        String expired = a.json().path("recipients").get(1).path("message").asText();
        assertTrue(expired.startsWith("consent_expired (implied-inquiry consent of "), expired);
        JsonNode event = rejectedEvent("old@remote.test", "550 5.7.1 Recipient refused: consent_expired (");
        assertEquals("acme", event.path("tenant").asText());
        assertEquals("news", event.path("stream").asText());
        // transactional mail needs no consent
        SendApiHome.Answer receipt = api.post("/v1/messages", api.acmeKey, Map.of("from", FROM, "to",
                "nobody@remote.test", "subject", "Receipt", "text", "Thanks", "stream", "receipts"));
        assertEquals(List.of("nobody@remote.test accepted"), SendApiHome.results(receipt));
        // every recipient refused: nothing is sent
        SendApiHome.Answer none = api.post("/v1/messages", api.acmeKey, message("nobody@remote.test"));
        assertEquals(422, none.status(), none.toString());
        assertEquals("no_recipient_accepted", none.code());
    }

    @Test
    void smtpWithAKeyRefusesAtRcptForItsBroadcastStreamAndAtTheEndOfDataForAStreamChosenByHeader() throws Exception {
        JsonNode scoped = smtp(newsKey, "nobody@remote.test", "");
        assertEquals(550, scoped.path("rcpt").get(0).asInt(), scoped.toString());
        assertEquals("5.7.1 Recipient refused: no_consent (no consent on record)", scoped.path("rcpt").get(1).asText());
        assertEquals(250, smtp(newsKey, "fan@remote.test", "").path("data").get(0).asInt());
        // a key of any stream: RCPT does not know the stream yet; the end of DATA refuses the message
        JsonNode chosen = smtp(api.acmeKey, "old@remote.test", "X-Petrel-Stream: news\r\n");
        assertEquals(250, chosen.path("rcpt").get(0).asInt(), chosen.toString());
        assertEquals(550, chosen.path("data").get(0).asInt(), chosen.toString());
        assertTrue(chosen.path("data").get(1).asText().startsWith(
                "5.7.1 Message refused: recipient old@remote.test consent_expired (implied-inquiry consent of "),
                chosen.toString());
        assertEquals(250, smtp(api.acmeKey, "old@remote.test", "X-Petrel-Stream: receipts\r\n").path("data").get(0)
                .asInt(), "transactional mail is exempt");
    }

    @Test
    void aOneClickUnsubscribeIsAWithdrawalAndLaterBroadcastMailIsRefused() throws Exception {
        api.home.petrelOk(null, "consent", "add", "acme", "quit@remote.test", "--kind", "implied-business", "--at",
                "2026-06-01");
        SendApiHome.Answer sent = api.post("/v1/messages", api.acmeKey, message("quit@remote.test"));
        assertEquals(200, sent.status(), sent.toString());
        String id = sent.json().path("message_id").asText();
        Matcher m = LINK.matcher(new String(api.home.readPresent(id).content(), StandardCharsets.UTF_8));
        assertTrue(m.find());
        HttpClientCurl.Response post = api.curl.send("POST", m.group(1), null, null, "-d",
                "List-Unsubscribe=One-Click");
        assertEquals(200, post.status(), post.describe());
        JsonNode status = Poll.until(WAIT, "the withdrawal", () -> {
            JsonNode s = api.send("GET", "/v1/consents/quit@remote.test", api.acmeKey, null).json().path("status");
            return s.path("valid").asBoolean() ? null : s;
        });
        assertEquals("consent_withdrawn", status.path("reason").asText(), status.toString());
        Programs.Result show = api.home.petrelOk(null, "consent", "show", "acme", "quit@remote.test");
        assertTrue(show.stdout().matches("(?s)\\d+ implied-business 2026-06-01T00:00:00Z source=cli\n"
                + "\\d+ withdrawal \\S+ source=unsubscribe form=\"one-click unsubscribe\" evidence=\"unsubscribe link"
                + " of message " + id + " on stream news\"\nstatus: consent_withdrawn \\(consent withdrawn on \\S+"
                + " \\(unsubscribed\\)\\)\n"), show.stdout());
        // the unsubscribe suppresses the recipient on its stream; the withdrawal holds on every broadcast stream
        assertEquals(List.of("quit@remote.test refused suppressed"),
                SendApiHome.results(api.post("/v1/messages", api.acmeKey, message("quit@remote.test"))));
        Map<String, Object> offer = new LinkedHashMap<>(message("quit@remote.test"));
        offer.put("stream", "offers");
        assertEquals(List.of("quit@remote.test refused consent_withdrawn"),
                SendApiHome.results(api.post("/v1/messages", api.acmeKey, offer)));
    }

    @Test
    void broadcastMailOfATenantWithoutACompleteIdentificationIsRefusedWith422AndBySmtp() throws Exception {
        // consent is there; what is missing is who sends
        assertEquals(201, api.post("/v1/consents", bravoNewsKey, Map.of("address", "reader@remote.test", "kind",
                "express", "at", "2026-01-01")).status());
        Map<String, Object> body = new LinkedHashMap<>(message("reader@remote.test"));
        body.put("from", "news@bravo.test");
        SendApiHome.Answer a = api.post("/v1/messages", bravoNewsKey, body);
        assertEquals(422, a.status(), a.toString());
        assertEquals("identification_incomplete", a.code());
        assertEquals("broadcast mail must identify its sender (CASL 6(2)); tenant bravo's identification lacks: name;"
                + " mailing address; telephone number, email address or web address (petrel tenant set bravo"
                + " --identification TEXT)", a.message());
        Path file = Files.createTempFile(api.home.dir(), "message-", ".eml");
        Files.writeString(file, "From: <news@bravo.test>\r\nTo: <reader@remote.test>\r\nSubject: x\r\n\r\nhello\r\n");
        JsonNode smtp = Smtplib.run(api.home.dir(), "send", "--port", String.valueOf(api.server.port("submission")),
                "--tls", "starttls", "--auth", "plain", "--user", "apikey", "--password", bravoNewsKey, "--sender",
                "news@bravo.test", "--rcpt", "reader@remote.test", "--message", file.toString());
        assertEquals(550, smtp.path("data").get(0).asInt(), smtp.toString());
        assertTrue(smtp.path("data").get(1).asText().startsWith("5.7.1 Message refused: broadcast mail must identify"
                + " its sender (CASL 6(2)); tenant bravo's identification lacks: name;"), smtp.toString());
    }

    @Test
    void theEvidenceListsRecordsAndTheMessagesThatReliedOnThemAndNeverAnotherTenants() throws Exception {
        SendApiHome.Answer sent = api.post("/v1/messages", api.acmeKey, message("fan@remote.test"));
        String id = sent.json().path("message_id").asText();
        JsonNode evidence = api.send("GET", "/v1/consents?address=fan@remote.test", api.acmeKey, null).json();
        JsonNode record = evidence.path("records").get(0);
        assertEquals("fan@remote.test", record.path("recipient").asText());
        assertEquals("express", record.path("kind").asText());
        assertEquals("2026-02-01T09:30:00Z", record.path("at").asText());
        assertEquals("Yes, send me Acme's news", record.path("evidence").path("wording").asText());
        assertEquals("192.0.2.7", record.path("evidence").path("ip").asText());
        JsonNode message = null;
        for (JsonNode n : evidence.path("messages")) {
            message = n.path("message_id").asText().equals(id) ? n : message;
        }
        assertTrue(message != null, evidence.toString());
        assertEquals(record.path("id").asLong(), message.path("consent_id").asLong(), "the record it relied on");
        assertEquals("news", message.path("stream").asText());

        String csv = api.home.petrelOk(null, "consent", "export", "acme", "--format", "csv").stdout();
        assertTrue(csv.startsWith("type,id,recipient,kind,at,source,recorded,form,url,ip,wording,note,message_id,"
                + "stream,consent_id\r\n"), csv);
        assertTrue(csv.contains("\r\nconsent," + record.path("id").asText() + ",fan@remote.test,express,"
                + "2026-02-01T09:30:00Z,cli,"), csv);
        assertTrue(csv.contains(",newsletter,https://acme.test/join,192.0.2.7,\"Yes, send me Acme's news\",,,,\r\n"),
                csv);
        assertTrue(csv.contains("\r\nmessage,,fan@remote.test,,"), csv);
        assertTrue(csv.contains("," + id + ",news," + record.path("id").asText() + "\r\n"), csv);
        JsonNode json = SendApiHome.JSON.readTree(api.home.petrelOk(null, "consent", "export", "acme").stdout());
        assertTrue(json.path("records").size() >= 2 && json.path("messages").size() >= 1, json.toString());

        // bravo's key reaches none of it: a record of acme's is a 404, as a missing one
        assertEquals(404, api.send("GET", "/v1/consents/fan@remote.test", api.bravoKey, null).status());
        assertEquals(404, api.send("GET", "/v1/consents/nobody@remote.test", api.acmeKey, null).status());
        String bravo = api.send("GET", "/v1/consents", api.bravoKey, null).response().body();
        assertFalse(bravo.contains("fan@remote.test") || bravo.contains("old@remote.test") || bravo.contains(id),
                bravo);
        // the admin API reads any tenant's
        assertEquals(200, api.send("GET", "/admin/v1/tenants/acme/consents/fan@remote.test", api.adminToken, null)
                .status());
        assertEquals(404, api.send("GET", "/admin/v1/tenants/nobody/consents/fan@remote.test", api.adminToken, null)
                .status());
    }

    @Test
    void consentsAddedAndWithdrawnThroughTheApiAreTheTenantsOwn() throws Exception {
        SendApiHome.Answer added = api.post("/v1/consents", api.bravoKey, Map.of("address", "pat@remote.test", "kind",
                "implied-non-business", "at", "2026-03-01", "evidence", Map.of("note", "donated")));
        assertEquals(201, added.status(), added.toString());
        assertEquals("api", added.json().path("source").asText());
        assertEquals(404, api.send("GET", "/v1/consents/pat@remote.test", api.acmeKey, null).status());
        assertTrue(api.send("GET", "/v1/consents/pat@remote.test", api.bravoKey, null).json().path("status")
                .path("valid").asBoolean());
        SendApiHome.Answer withdrawn = api.post("/v1/consents/pat@remote.test/withdraw", api.bravoKey, Map.of());
        assertEquals(201, withdrawn.status(), withdrawn.toString());
        assertEquals("withdrawal", withdrawn.json().path("kind").asText());
        assertEquals("consent_withdrawn", api.send("GET", "/v1/consents/pat@remote.test", api.bravoKey, null).json()
                .path("status").path("reason").asText());
        SendApiHome.Answer future = api.post("/v1/consents", api.bravoKey, Map.of("address", "pat@remote.test",
                "kind", "express", "at", "2099-01-01"));
        assertEquals(400, future.status(), future.toString());
        SendApiHome.Answer kind = api.post("/v1/consents", api.bravoKey, Map.of("address", "pat@remote.test",
                "kind", "opt-in", "at", "2026-01-01"));
        assertEquals(400, kind.status(), kind.toString());
        assertFalse(kind.message().isEmpty());
    }
}
