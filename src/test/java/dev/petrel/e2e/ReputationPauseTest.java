package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reputation guard on a running server: a sink (aiosmtpd behind a dnsmasq MX) that answers 550 5.1.1 for most
 * recipients of a stream, a [reputation] min_volume small enough for one message; the stream is paused with its
 * reason (stream.paused event, log line, metric, stream list, admin API), the send API answers 429 stream_paused,
 * and a resume through the admin API lets mail go again without the old counts pausing it at once.
 */
class ReputationPauseTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String ANN = "ann@acme.test";
    private static final String WHY = "hard_bounce_rate: 9 hard bounces of 12 recipients (75.0%) in 1h, over 5.0%";

    private static SinkedApi home;
    private static SendApiHome api;
    private static BouncingSink sink;

    @BeforeAll
    static void start() throws Exception {
        home = SinkedApi.start(scratch, "ready.sink.test", List.of("--local=/sink.test/", "--local=/acme.test/",
                "--host-record=ready.sink.test,127.0.0.1", "--mx-host=sink.test,mx.sink.test,10",
                "--host-record=mx.sink.test," + BouncingSink.ADDRESS), "",
                "\n[reputation]\nwindow = \"1h\"\nmin_volume = 10\n");
        api = home.api;
        sink = home.sink;
    }

    @AfterAll
    static void stop() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    private static Map<String, Object> message(List<String> to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", ANN);
        body.put("to", to);
        body.put("subject", "reputation test");
        body.put("text", "hello");
        return body;
    }

    private static JsonNode stream() throws Exception {
        return api.send("GET", "/admin/v1/tenants/acme/streams/receipts", api.adminToken, null).json();
    }

    @Test
    void aStreamWhoseMailBouncesHardIsPausedRefusesNewMailWithTheReasonAndResumes() throws Exception {
        List<String> to = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String gone = "gone" + i + "@sink.test";
            sink.answer(gone, "550 5.1.1 <" + gone + ">: Recipient address rejected: User unknown");
            to.add(gone);
        }
        to.addAll(List.of("ann@sink.test", "bob@sink.test", "cy@sink.test"));
        assertEquals(200, api.post("/v1/messages", api.receiptsKey, message(to)).status());

        JsonNode event = home.event(api.acmeKey, "a stream.paused event",
                e -> e.path("type").asText().equals("stream.paused"));
        assertEquals("acme", event.path("tenant").asText(), event.toString());
        assertEquals("receipts", event.path("stream").asText(), event.toString());
        assertEquals(WHY, event.path("reply").asText());
        JsonNode pause = stream().path("pause");
        assertTrue(stream().path("paused").asBoolean());
        assertEquals("hard_bounce_rate", pause.path("reason").asText(), pause.toString());
        assertEquals(WHY, "hard_bounce_rate: " + pause.path("text").asText());
        String list = api.home.petrelOk(null, "stream", "list", "acme").stdout();
        assertTrue(list.contains("receipts transactional paused paused_at=" + pause.path("at").asText()
                + " reason=\"" + WHY + "\"\n"), list);
        assertTrue(api.server.log().contains("stream-paused tenant=acme stream=receipts reason=hard_bounce_rate"),
                api.server.log());
        assertEquals("petrel_stream_pauses_total{reason=\"hard_bounce_rate\"} 1.0",
                home.metric("petrel_stream_pauses_total{"));

        SendApiHome.Answer refused = api.post("/v1/messages", api.receiptsKey, message(List.of("ann@sink.test")));
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("stream_paused", refused.code());
        assertTrue(refused.message().contains("stream receipts of tenant acme is paused since "
                + pause.path("at").asText() + " for its reputation: " + WHY), refused.message());
        // news is a broadcast stream: CASL asks for the recipient's consent first
        api.consent(api.acmeKey, "ann@sink.test");
        assertEquals(200, api.post("/v1/messages", api.acmeKey, Map.of("from", ANN, "to", List.of("ann@sink.test"),
                "subject", "news", "text", "hi", "stream", "news")).status(), "the tenant's other stream sends");

        SendApiHome.Answer resumed = api.send("POST", "/admin/v1/tenants/acme/streams/receipts/resume",
                api.adminToken, null);
        assertEquals(200, resumed.status(), resumed.toString());
        assertFalse(resumed.json().path("paused").asBoolean());
        assertTrue(resumed.json().path("pause").isNull(), resumed.toString());
        assertFalse(resumed.json().path("resumed").isNull(), resumed.toString());
        SendApiHome.Answer again = api.post("/v1/messages", api.receiptsKey, message(List.of("dan@sink.test")));
        assertEquals(200, again.status(), again.toString());
        api.event(api.acmeKey, "message.delivered", again.json().path("message_id").asText());
        Poll.until(SinkedApi.WAIT, "dan's RCPT at the sink", () -> sink.rcpts().stream()
                .anyMatch(l -> l.startsWith("dan@sink.test ")) ? true : null);
        assertFalse(stream().path("paused").asBoolean(), "the counts before the resume pause it no more");
        assertTrue(api.server.log().lines().filter(l -> l.contains("stream-paused")).count() == 1, api.server.log());
    }
}
