package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reply-driven shaping on a running server: two sites (mx.gmail.test and mx.other.test, dnsmasq MX records, both
 * served by one aiosmtpd on 127.0.0.2) and a throttle rule of the operator's that suspends a site for 4 s on
 * Gmail's 421 4.7.28. The first message gets that answer: its site is suspended (log line, gauge), mail to the
 * other site goes at once, and mail to the suspended site waits until the suspension is over, then goes.
 */
class ReplyShapingTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String ANN = "ann@acme.test";
    private static final String GMAIL_421 = "421 4.7.28 [127.0.0.1] Our system has detected an unusual rate of"
            + " unsolicited mail originating from your IP address. To protect our users from spam, mail sent from"
            + " your IP address has been temporarily rate limited.";
    private static final Pattern SUSPENDED = Pattern.compile("site-suspended site=mx\\.gmail\\.test egress=default"
            + " until=(\\S+) reply=\"421 4\\.7\\.28 ");

    private static SinkedApi home;
    private static SendApiHome api;
    private static BouncingSink sink;

    @BeforeAll
    static void start() throws Exception {
        Path rules = scratch.newFolder("rules").resolve("throttles.toml");
        Files.writeString(rules, """
                # the test's own Gmail rule: as the shipped one, for 4 seconds instead of 15 minutes
                [[throttle]]
                status = "4.7.28"
                action = "suspend"
                duration = "4s"
                """);
        home = SinkedApi.start(scratch, "ready.gmail.test", List.of("--local=/gmail.test/", "--local=/other.test/",
                "--local=/acme.test/", "--host-record=ready.gmail.test,127.0.0.1",
                "--mx-host=gmail.test,mx.gmail.test,10", "--host-record=mx.gmail.test," + BouncingSink.ADDRESS,
                "--mx-host=other.test,mx.other.test,10", "--host-record=mx.other.test," + BouncingSink.ADDRESS),
                "\nfirst_retry = \"1s\"\nmax_retry = \"2s\"", "\n[bounce]\nrules = \"" + rules + "\"\n");
        api = home.api;
        sink = home.sink;
    }

    @AfterAll
    static void stop() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    private static String send(String to) throws Exception {
        SendApiHome.Answer a = api.post("/v1/messages", api.receiptsKey, Map.of("from", ANN, "to", List.of(to),
                "subject", "shaping", "text", "hello"));
        assertEquals(200, a.status(), a.toString());
        return a.json().path("message_id").asText();
    }

    private static boolean rcpt(String address) throws Exception {
        return sink.rcpts().stream().anyMatch(l -> l.startsWith(address + " 250"));
    }

    @Test
    void aRateLimitedSiteIsSuspendedForItsTimeWhileAnotherSiteKeepsGoing() throws Exception {
        sink.answer("rate@gmail.test", GMAIL_421);
        String first = send("rate@gmail.test");
        JsonNode deferred = api.event(api.acmeKey, "message.deferred", first);
        assertTrue(deferred.path("reply").asText().startsWith("421 4.7.28 "), deferred.toString());
        Matcher m = Poll.until(SinkedApi.WAIT, "the site-suspended log line", () -> {
            Matcher found = SUSPENDED.matcher(api.server.log());
            return found.find() ? found : null;
        });
        Instant until = Instant.parse(m.group(1));
        assertEquals("petrel_delivery_site_suspended{egress=\"default\",site=\"mx.gmail.test\"} 1.0",
                home.metric("petrel_delivery_site_suspended{"));
        sink.answer("rate@gmail.test", null);

        String gmail = send("ok@gmail.test");
        String other = send("ok@other.test");
        JsonNode delivered = api.event(api.acmeKey, "message.delivered", other);
        assertTrue(Instant.parse(delivered.path("timestamp").asText()).isBefore(until),
                "the other site took its mail during the suspension: " + delivered);
        assertFalse(rcpt("ok@gmail.test"), "nothing went to the suspended site: " + sink.rcpts());

        JsonNode later = home.event(api.acmeKey, "ok@gmail.test delivered", e -> e.path("type").asText()
                .equals("message.delivered") && e.path("message_id").asText().equals(gmail));
        assertFalse(Instant.parse(later.path("timestamp").asText()).isBefore(until),
                "delivered once the suspension was over, at " + until + ": " + later);
        assertTrue(rcpt("ok@gmail.test"));
        api.event(api.acmeKey, "message.delivered", first);
        assertEquals("petrel_delivery_site_suspended{egress=\"default\",site=\"mx.gmail.test\"} 0.0",
                home.metric("petrel_delivery_site_suspended{"));
        assertTrue(home.metric("petrel_delivery_site_suspensions_total{").endsWith(" 1.0"),
                home.metric("petrel_delivery_site_suspensions_total{"));
    }
}
