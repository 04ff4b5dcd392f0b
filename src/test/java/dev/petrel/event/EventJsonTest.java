package dev.petrel.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event's JSON as webhooks and /v1/events carry it: the bounce class of deferred and bounced recipients. */
class EventJsonTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private static final QueueId ID = new QueueId("1M1BDZPWL00RDFF");
    private static final SendContext CONTEXT = new SendContext("acme", "receipts", "welcome", Map.of("order", "42"));

    private static JsonNode json(MailEvent event) throws Exception {
        return new ObjectMapper().readTree(EventJson.render(7, event));
    }

    @Test
    void aBouncedRecipientCarriesItsClassStatusAndReply() throws Exception {
        JsonNode j = json(new MailEvent.Bounced(T, ID, "d@example.org", "mx[192.0.2.2]:25", Duration.ZERO, "5.1.1",
                "550 5.1.1 no such user", BounceClass.HARD, CONTEXT));
        assertEquals("message.bounced", j.get("type").asText());
        assertEquals("hard", j.get("class").asText());
        assertEquals("5.1.1", j.get("status").asText());
        assertEquals("550 5.1.1 no such user", j.get("reply").asText());
        assertEquals("acme", j.get("tenant").asText());
    }

    @Test
    void aFeedEntryNamesItsNodeAndAWebhookBodyDoesNot() throws Exception {
        MailEvent.Deferred e = new MailEvent.Deferred(T, ID, "c@example.org", "none", Duration.ZERO, "4.7.0",
                "421 4.7.0 Try again later", BounceClass.THROTTLE, CONTEXT);
        ObjectMapper mapper = new ObjectMapper();
        assertEquals("n2", mapper.readTree(EventJson.render(new EventFeed.Entry(7, e, "n2"))).get("node").asText());
        assertTrue(mapper.readTree(EventJson.render(new EventFeed.Entry(7, e))).get("node").isNull(),
                "the embedded store's events name no node");
        assertFalse(mapper.readTree(EventJson.render(7, e)).has("node"), "webhook bodies keep their shape");
    }

    @Test
    void aDeferredRecipientCarriesItsClass() throws Exception {
        JsonNode j = json(new MailEvent.Deferred(T, ID, "c@example.org", "none", Duration.ZERO, "4.7.0",
                "421 4.7.0 Try again later", BounceClass.THROTTLE, CONTEXT));
        assertEquals("throttle", j.get("class").asText());
    }

    @Test
    void aRecipientRefusedForWantOfConsentIsItsTenantsWithTheReasonInItsReply() throws Exception {
        JsonNode j = json(new MailEvent.Rejected(T, "api", "consent", null, "e@example.org",
                "550 5.7.1 Recipient refused: no_consent (no consent on record)", "no_consent", CONTEXT));
        assertEquals("message.rejected", j.get("type").asText());
        assertEquals("acme", j.get("tenant").asText());
        assertEquals("receipts", j.get("stream").asText());
        assertEquals("e@example.org", j.get("recipient").asText());
        assertEquals("5.7.1", j.get("status").asText());
        assertEquals("550 5.7.1 Recipient refused: no_consent (no consent on record)", j.get("reply").asText());
        assertEquals(true, j.get("message_id").isNull());
        assertEquals(true, json(new MailEvent.Rejected(T, "192.0.2.1", "rcpt", null, "x@example.org",
                "550 5.1.1 User unknown")).get("tenant").isNull(), "the SMTP server's refusals name no tenant");
    }

    @Test
    void otherEventsHaveNoClass() throws Exception {
        assertEquals(true, json(new MailEvent.Delivered(T, ID, "b@example.org", "mx", Duration.ZERO, "2.0.0",
                "250 ok")).get("class").isNull());
        assertEquals(true, json(new MailEvent.Expired(T, ID, "b@example.org", Duration.ofDays(5), "4.4.7"))
                .get("class").isNull());
    }

    @Test
    void aPausedStreamSaysItsTenantStreamAndWhy() throws Exception {
        JsonNode j = json(new MailEvent.StreamPaused(T, "complaint_rate", "2 complaints of 500 recipients (0.4%) in"
                + " 24h, over 0.3%", new SendContext("acme", "news", null, Map.of())));
        assertEquals("stream.paused", j.get("type").asText());
        assertEquals("acme", j.get("tenant").asText());
        assertEquals("news", j.get("stream").asText());
        assertEquals("complaint_rate: 2 complaints of 500 recipients (0.4%) in 24h, over 0.3%", j.get("reply").asText());
        assertEquals(true, j.get("message_id").isNull());
        assertEquals("stream-paused tenant=acme stream=news reason=complaint_rate text=\"2 complaints of 500"
                + " recipients (0.4%) in 24h, over 0.3%\" by=reputation", LogSink.format(new MailEvent.StreamPaused(T,
                "complaint_rate", "2 complaints of 500 recipients (0.4%) in 24h, over 0.3%",
                new SendContext("acme", "news", null, Map.of()))));
    }
}
