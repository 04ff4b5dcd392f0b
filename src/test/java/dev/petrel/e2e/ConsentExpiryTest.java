package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.testing.HandClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consent that runs out while the server runs: the whole server on a clock the test moves (Petrel.start with a
 * clock), an inquiry's implied consent (six months, CASL 10(10)(c)) good on the first send and run out 200 days
 * later, refused by the send API (curl) and by SMTP with a key of the broadcast stream (Python's smtplib).
 */
class ConsentExpiryTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String MESSAGE = "{\"from\": \"news@acme.test\", \"to\": [\"ann@remote.test\"],"
            + " \"subject\": \"News\", \"text\": \"Our news\", \"stream\": \"news\"}";

    @Test
    void anInquirysConsentRunsOutAfterSixMonthsOnTheServersClock() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("home"));
        home.petrelOk(null, "tenant", "add", "acme");
        home.petrelOk(null, "domain", "add", "acme.test", "--tenant", "acme");
        home.petrelOk(null, "stream", "add", "acme", "news", "--kind", "broadcast");
        home.petrelOk(null, "tenant", "set", "acme", "--identification", SendApiHome.IDENTIFICATION);
        String key = home.petrelOk(null, "key", "create", "acme", "--stream", "news").stdout().strip();
        HandClock clock = new HandClock();
        clock.now = Instant.parse("2026-11-28T12:00:00Z");
        home.petrelOk(null, "consent", "add", "acme", "ann@remote.test", "--kind", "implied-inquiry", "--at",
                "2026-11-01T00:00:00Z", "--evidence", "asked for a quote");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Petrel petrel = Petrel.start(ConfigLoader.load(home.config()), new PrintStream(log, true,
                StandardCharsets.UTF_8), clock)) {
            HttpClientCurl http = new HttpClientCurl(home.dir(), "http://127.0.0.1:" + petrel.httpAddress().getPort());
            HttpClientCurl.Response first = http.send("POST", "/v1/messages", key, MESSAGE);
            assertEquals(200, first.status(), first.describe());
            assertEquals("accepted", first.json().path("recipients").get(0).path("status").asText(), first.describe());

            clock.advance(Duration.ofDays(200));
            HttpClientCurl.Response later = http.send("POST", "/v1/messages", key, MESSAGE);
            assertEquals(422, later.status(), later.describe());
            JsonNode refused = later.json().path("recipients").get(0);
            assertEquals("consent_expired", refused.path("reason").asText(), later.describe());
            assertEquals("consent_expired (implied-inquiry consent of 2026-11-01T00:00:00Z expired on"
                    + " 2027-05-01T00:00:00Z)", refused.path("message").asText());

            Path file = Files.writeString(home.dir().resolve("news.eml"), "From: <news@acme.test>\r\n"
                    + "To: <ann@remote.test>\r\nSubject: News\r\n\r\nOur news\r\n");
            JsonNode smtp = Smtplib.run(home.dir(), "send", "--port", String.valueOf(petrel.addresses().get(1)
                    .getPort()), "--tls", "starttls", "--auth", "plain", "--user", "apikey", "--password", key,
                    "--sender", "news@acme.test", "--rcpt", "ann@remote.test", "--message", file.toString());
            assertEquals(550, smtp.path("rcpt").get(0).asInt(), smtp.toString());
            assertTrue(smtp.path("rcpt").get(1).asText().startsWith("5.7.1 Recipient refused: consent_expired"),
                    smtp.toString());
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("stage=consent to=<ann@remote.test> tenant=acme"
                + " stream=news reason=consent_expired"), log.toString(StandardCharsets.UTF_8));
    }
}
