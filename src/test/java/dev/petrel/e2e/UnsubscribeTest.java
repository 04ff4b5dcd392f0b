package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-click unsubscribe (RFC 8058) on a real server: broadcast mail sent through the send API is queued one message
 * per recipient, each with its own List-Unsubscribe link and List-Unsubscribe-Post under a DKIM signature that
 * dkimpy passes; curl, as a mailbox provider, POSTs {@code List-Unsubscribe=One-Click} and the tenant reads
 * {@code message.unsubscribed} in /v1/events; a GET (a link scanner) and a forged token change nothing.
 */
class UnsubscribeTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern LINK = Pattern.compile("^<(http://[^>]+(/unsubscribe/[A-Za-z0-9_-]+))>$");

    private static SendApiHome api;

    @BeforeAll
    static void start() throws Exception {
        api = new SendApiHome(scratch.newFolder("home"));
        api.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        api.stop();
    }

    /** A broadcast message to these recipients; the message ids of each, in order. */
    private static List<String> broadcast(String... to) throws Exception {
        String body = SendApiHome.JSON.writeValueAsString(java.util.Map.of("from", "news@acme.test", "to", List.of(to),
                "subject", "December news", "text", "Hello", "stream", "news"));
        HttpClientCurl.Response r = api.curl.send("POST", "/v1/messages", api.acmeKey, body);
        assertEquals(200, r.status(), r.describe());
        List<String> ids = new ArrayList<>();
        for (JsonNode n : r.json().path("recipients")) {
            assertEquals("accepted", n.path("status").asText(), r.describe());
            ids.add(n.path("message_id").asText());
        }
        return ids;
    }

    private static JsonNode parts(byte[] message) throws Exception {
        return parts(api.home.dir(), message);
    }

    /** What unsubscribe_parts.py (Python's email package) reads in a message, run in {@code dir}. */
    static JsonNode parts(java.nio.file.Path dir, byte[] message) throws Exception {
        java.nio.file.Path script = java.nio.file.Path.of("src/test/resources/compliance/unsubscribe_parts.py")
                .toAbsolutePath();
        Programs.Result r = Programs.run(dir, "unsubscribe_parts", List.of(Programs.require("python3",
                "python3"), script.toString()), Base64.getEncoder().encode(message), Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return SendApiHome.JSON.readTree(r.stdout());
    }

    /** The path of the message's one-click link, read from its List-Unsubscribe field by Python. */
    private static String linkOf(String id) throws Exception {
        JsonNode parts = parts(api.home.readPresent(id).content());
        Matcher m = LINK.matcher(parts.path("list_unsubscribe").path(0).asText());
        assertTrue(m.matches(), parts.toString());
        return m.group(2);
    }

    @Test
    void eachRecipientOfBroadcastMailGetsItsOwnSignedOneClickLink() throws Exception {
        List<String> ids = broadcast("ann@remote.test", "bob@remote.test");
        assertEquals(2, ids.size());
        assertNotEquals(ids.get(0), ids.get(1), "one message per recipient");
        List<String> links = new ArrayList<>();
        for (String id : ids) {
            byte[] message = api.home.readPresent(id).content();
            assertEquals(1, api.home.readPresent(id).message().envelope().recipients().size());
            JsonNode parts = parts(message);
            assertEquals(1, parts.path("list_unsubscribe").size(), parts.toString());
            assertEquals(List.of("List-Unsubscribe=One-Click"), SendApiHome.JSON.convertValue(
                    parts.path("list_unsubscribe_post"), List.class));
            String signed = parts.path("signed").path(0).toString();
            assertTrue(signed.contains("\"list-unsubscribe\"") && signed.contains("\"list-unsubscribe-post\""), signed);
            assertEquals(List.of("pass"), api.dkimpy(message));
            links.add(linkOf(id));
            // the signature covers the link: another link in its place fails
            String text = new String(message, StandardCharsets.UTF_8);
            byte[] changed = text.replace(links.getLast(), "/unsubscribe/AAAA").getBytes(StandardCharsets.UTF_8);
            assertEquals(List.of("fail"), api.dkimpy(changed));
        }
        assertNotEquals(links.get(0), links.get(1), "each recipient has a link of its own");
    }

    @Test
    void broadcastMailSubmittedOverSmtpWithAKeyGetsItsLinkToo() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(api.home.dir().resolve("news.eml"),
                "From: <news@acme.test>\r\nTo: <gus@remote.test>\r\nSubject: news\r\nX-Petrel-Stream: news\r\n"
                        + "\r\nHello\r\n");
        JsonNode r = Smtplib.run(api.home.dir(), "send", "--port", String.valueOf(api.server.port("submission")),
                "--tls", "starttls", "--auth", "plain", "--user", "apikey", "--password", api.acmeKey, "--sender",
                "news@acme.test", "--rcpt", "gus@remote.test", "--message", file.toString());
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
        String id = Queued.idIn("250 " + r.path("data").get(1).asText());
        byte[] message = api.home.readPresent(id).content();
        assertTrue(linkOf(id).startsWith("/unsubscribe/"));
        assertFalse(new String(message, StandardCharsets.UTF_8).contains("X-Petrel-Stream"));
        assertEquals(List.of("pass"), api.dkimpy(message));
    }

    @Test
    void thePlaceholderBecomesTheLinkInTextAndHtmlEvenWhenEncoded() throws Exception {
        // non-ASCII text makes the composer encode the parts; a long line makes it break them
        String body = SendApiHome.JSON.writeValueAsString(java.util.Map.of("from", "news@acme.test",
                "to", "hal@remote.test", "subject", "Grüße", "stream", "news",
                "text", "Grüße! " + "x".repeat(70) + " Leave: {{unsubscribe_url}} — bye",
                "html", "<html><body><p>Grüße " + "y".repeat(70) + "</p><a href=\"{{unsubscribe_url}}\">leave</a>"
                        + "</body></html>"));
        HttpClientCurl.Response r = api.curl.send("POST", "/v1/messages", api.acmeKey, body);
        assertEquals(200, r.status(), r.describe());
        String id = r.json().path("message_id").asText();
        byte[] message = api.home.readPresent(id).content();
        JsonNode parts = parts(message);
        String url = parts.path("list_unsubscribe").path(0).asText().replaceAll("^<|>$", "");
        String text = parts.path("text").path(0).asText();
        String html = parts.path("html").path(0).asText();
        assertTrue(text.contains("Grüße! " + "x".repeat(70) + " Leave: " + url + " — bye"), text);
        assertTrue(html.contains("<a href=\"" + url + "\">leave</a>"), html);
        assertFalse(text.contains("{{") || html.contains("{{") || text.contains("-- \n"), text + html);
        assertEquals(0, parts.path("defects").size(), parts.toString());
        assertEquals(List.of("pass"), api.dkimpy(message));
    }

    @Test
    void withoutThePlaceholderAFooterCarriesTheLinkAndTheIdentification() throws Exception {
        api.home.petrelOk(null, "tenant", "set", "acme", "--identification",
                "Acme Inc., 1 Main St, Toronto ON, help@acme.test");
        String id = api.post("/v1/messages", api.acmeKey, java.util.Map.of("from", "news@acme.test", "to",
                "ida@remote.test", "subject", "News", "stream", "news", "text", "Plain news",
                "html", "<html><body><p>HTML news</p></body></html>")).json().path("message_id").asText();
        byte[] message = api.home.readPresent(id).content();
        JsonNode parts = parts(message);
        String url = parts.path("list_unsubscribe").path(0).asText().replaceAll("^<|>$", "");
        String text = parts.path("text").path(0).asText().replace("\r\n", "\n");
        String html = parts.path("html").path(0).asText();
        assertTrue(text.startsWith("Plain news\n"), text);
        assertTrue(text.endsWith("\n-- \nAcme Inc., 1 Main St, Toronto ON, help@acme.test\nUnsubscribe: " + url + "\n"),
                text);
        assertTrue(html.matches("(?s)<html><body><p>HTML news</p><hr>.*Acme Inc\\., 1 Main St, Toronto ON,"
                + " help@acme\\.test<br><a href=\"" + Pattern.quote(url) + "\">Unsubscribe</a></p></body></html>\\s*"),
                html);
        assertEquals(List.of("pass"), api.dkimpy(message));
    }

    @Test
    void transactionalMailHasNoUnsubscribeLink() throws Exception {
        HttpClientCurl.Response r = api.curl.send("POST", "/v1/messages", api.acmeKey, """
                {"from": "shop@acme.test", "to": "ann@remote.test", "subject": "Receipt", "text": "Thanks",
                 "stream": "receipts"}""");
        assertEquals(200, r.status(), r.describe());
        JsonNode parts = parts(api.home.readPresent(r.json().path("message_id").asText()).content());
        assertEquals(0, parts.path("list_unsubscribe").size(), parts.toString());
        assertEquals(0, parts.path("list_unsubscribe_post").size(), parts.toString());
        assertEquals("Thanks", parts.path("text").path(0).asText().strip(), "no footer either");
    }

    @Test
    void aOneClickPostUnsubscribesAndAGetChangesNothing() throws Exception {
        String id = broadcast("carol@remote.test").getFirst();
        String link = linkOf(id);

        HttpClientCurl.Response page = api.curl.send("GET", link, null, null);
        assertEquals(200, page.status(), page.describe());
        assertTrue(page.body().contains("<form method=\"post\" action=\"" + link + "\">"), page.body());
        assertTrue(page.body().contains("carol@remote.test"), page.body());
        // what a link scanner does changes nothing: no event, even after the feed has caught up with the GET
        String marker = broadcast("marker@remote.test").getFirst();
        Poll.until(Duration.ofSeconds(10), "the marker's queued event", () -> eventOf("message.queued",
                marker) == null ? null : true);
        assertEquals(null, eventOf("message.unsubscribed", "carol@remote.test"));

        // as a mailbox provider sends it (RFC 8058 3.2): no redirect, no sign-in, 200
        HttpClientCurl.Response post = api.curl.send("POST", link, null, null, "-d", "List-Unsubscribe=One-Click");
        assertEquals(200, post.status(), post.describe());
        assertFalse(post.headers().toLowerCase(java.util.Locale.ROOT).contains("location:"), post.headers());
        JsonNode event = Poll.until(Duration.ofSeconds(10), "the unsubscribed event",
                () -> eventOf("message.unsubscribed", "carol@remote.test"));
        assertEquals("acme", event.path("tenant").asText());
        assertEquals("news", event.path("stream").asText());
        assertEquals(id, event.path("message_id").asText());
        // another tenant does not see it
        SendApiHome.Answer bravo = api.send("GET", "/v1/events?after=0&limit=1000", api.bravoKey, null);
        assertFalse(bravo.response().body().contains("carol@remote.test"), bravo.toString());
    }

    @Test
    void aPostWithoutOneClickIsRefused() throws Exception {
        String link = linkOf(broadcast("dan@remote.test").getFirst());
        HttpClientCurl.Response post = api.curl.send("POST", link, null, null, "-d", "something=else");
        assertEquals(400, post.status(), post.describe());
    }

    @Test
    void aForgedOrDamagedTokenAnswers404() throws Exception {
        String link = linkOf(broadcast("eve@remote.test").getFirst());
        char last = link.charAt(link.length() - 1);
        String damaged = link.substring(0, link.length() - 1) + (last == 'A' ? 'B' : 'A');
        for (String path : List.of(damaged, "/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "/unsubscribe/not-base64!")) {
            HttpClientCurl.Response post = api.curl.send("POST", path, null, null, "-d", "List-Unsubscribe=One-Click");
            assertEquals(404, post.status(), post.describe());
            assertEquals(404, api.curl.send("GET", path, null, null).status());
        }
        assertEquals(null, eventOf("message.unsubscribed", "eve@remote.test"));
    }

    @Test
    void theUnsubscribeLatencyIsAMetric() throws Exception {
        String link = linkOf(broadcast("fay@remote.test").getFirst());
        assertEquals(200, api.curl.send("POST", link, null, null, "-d", "List-Unsubscribe=One-Click").status());
        Poll.until(Duration.ofSeconds(10), "the latency metric", () -> {
            String metrics = api.curl.send("GET", "/metrics", null, null).body();
            Matcher m = Pattern.compile("(?m)^petrel_unsubscribe_latency_seconds_count (\\S+)$").matcher(metrics);
            return m.find() && Double.parseDouble(m.group(1)) >= 1 ? true : null;
        });
    }

    // the event of this type for this recipient (or message id) in acme's /v1/events, or null
    private static JsonNode eventOf(String type, String recipient) throws Exception {
        SendApiHome.Answer events = api.send("GET", "/v1/events?after=0&limit=1000", api.acmeKey, null);
        for (JsonNode e : events.json().path("events")) {
            if (e.path("type").asText().equals(type) && (e.path("recipient").asText().equals(recipient)
                    || e.path("message_id").asText().equals(recipient))) {
                return e;
            }
        }
        return null;
    }
}
