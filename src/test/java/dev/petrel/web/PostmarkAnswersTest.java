package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.web.SendOutcome.Problem;
import dev.petrel.web.SendOutcome.RecipientResult;
import dev.petrel.web.SendOutcome.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The send operation's outcomes and the HTTP surface's errors in Postmark's words: status, ErrorCode, Message. */
class PostmarkAnswersTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.250Z");
    private static final QueueId ID = new QueueId("1M1CRD9NRJ07J7V");

    private static RecipientResult.Refused refused(String to, Refusal reason) {
        return new RecipientResult.Refused(to, reason, "because");
    }

    @Test
    void aQueuedMessageIsErrorCode0WithItsIdTimeAndTo() {
        SendAnswers.Rendered r = PostmarkAnswers.render(new SendOutcome.Sent(ID, List.of(
                new RecipientResult.Accepted(Address.of("b@remote.test"), ID),
                refused("s@remote.test", Refusal.SUPPRESSED))), " Bob <b@remote.test>, s@remote.test ", NOW);
        assertEquals(200, r.status());
        assertEquals(List.of("To", "SubmittedAt", "MessageID", "ErrorCode", "Message"), List.copyOf(r.body().keySet()));
        assertEquals(Map.of("To", "Bob <b@remote.test>, s@remote.test", "SubmittedAt", "2026-03-01T10:15:30.250Z",
                "MessageID", ID.value(), "ErrorCode", 0, "Message", "OK"), r.body());
        assertNull(r.retryAfter());
    }

    @Test
    void everyRecipientSuppressedIs406NamingThemAsPostmarksLibrariesReadThem() {
        SendAnswers.Rendered r = PostmarkAnswers.render(new SendOutcome.NotSent(List.of(
                refused("a@remote.test", Refusal.SUPPRESSED), refused("b@remote.test", Refusal.RECIPIENT_REJECTED),
                refused("c@remote.test", Refusal.SUPPRESSED))), "a@remote.test", NOW);
        assertEquals(422, r.status());
        assertEquals(406, r.body().get("ErrorCode"));
        String message = (String) r.body().get("Message");
        // postmark.js (InactiveRecipientsError) finds the addresses with this pattern
        Matcher m = Pattern.compile("Found inactive addresses: (.+?)\\.? Inactive").matcher(message);
        assertTrue(m.find(), message);
        assertEquals("a@remote.test, c@remote.test", m.group(1));
        assertTrue(message.contains("Also refused: b@remote.test (recipient_rejected: because)"), message);
    }

    @Test
    void everyRecipientRefusedOtherwiseIs300AndOverARateIs429WithRetryAfter() {
        SendAnswers.Rendered rejected = PostmarkAnswers.render(new SendOutcome.NotSent(List.of(
                refused("b@remote.test", Refusal.NO_CONSENT))), "b@remote.test", NOW);
        assertEquals(List.of(422, 300), List.of(rejected.status(), rejected.body().get("ErrorCode")));
        assertEquals("No recipient was sent to: b@remote.test (no_consent: because).", rejected.body().get("Message"));

        SendAnswers.Rendered limited = PostmarkAnswers.render(new SendOutcome.NotSent(List.of(
                new RecipientResult.Refused("b@remote.test", Refusal.RATE_LIMITED, "over 5/s", Duration.ofSeconds(3)),
                refused("s@remote.test", Refusal.SUPPRESSED))), "b@remote.test", NOW);
        assertEquals(List.of(429, 429), List.of(limited.status(), limited.body().get("ErrorCode")));
        assertEquals(Duration.ofSeconds(3), limited.retryAfter());
        assertEquals("3", limited.answer().headers().get("Retry-After"));
    }

    // each refusal of a whole message: the HTTP status and Postmark's error code
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "INVALID_MESSAGE, 422, 300",
        "TOO_MANY_RECIPIENTS, 422, 300",
        "MESSAGE_TOO_LARGE, 422, 300",
        "UNKNOWN_STREAM, 422, 300",
        "MESSAGE_REFUSED, 422, 300",
        "SENDER_NOT_ALLOWED, 422, 400",
        "STREAM_NOT_ALLOWED, 422, 405",
        "RATE_LIMITED, 429, 429",
        "INSUFFICIENT_STORAGE, 503, 100",
        "UNAVAILABLE, 503, 100",
    })
    void aMessageRefusedAsAWholeHasPostmarksStatusAndCode(Problem.Kind kind, int status, int code) {
        Duration wait = status == 422 ? null : Duration.ofSeconds(30);
        SendAnswers.Rendered r = PostmarkAnswers.render(new SendOutcome.Refused(new Problem(kind, "why", wait)),
                "b@remote.test", NOW);
        assertEquals(List.of(status, code), List.of(r.status(), r.body().get("ErrorCode")));
        assertEquals(Map.of("ErrorCode", code, "Message", "why"), r.body());
        assertEquals(wait == null ? null : "30", r.answer().headers().get("Retry-After"));
    }

    @Test
    void aStreamPausedForItsReputationIsPostmarks429WithTheReasonAndNoRetryAfter() {
        SendAnswers.Rendered r = PostmarkAnswers.render(new SendOutcome.Refused(new Problem(
                Problem.Kind.STREAM_PAUSED, "stream news of tenant acme is paused", null)), "b@remote.test", NOW);
        assertEquals(Map.of("ErrorCode", 429, "Message", "stream news of tenant acme is paused"), r.body());
        assertEquals(429, r.status());
        assertEquals(null, r.answer().headers().get("Retry-After"));
    }

    @Test
    void theComposersRefusalNamesPostmarksField() {
        SendAnswers.Rendered r = PostmarkAnswers.render(new SendOutcome.Refused(new Problem(
                Problem.Kind.INVALID_MESSAGE, "text: a text or an html body is required")), null, NOW);
        assertEquals("TextBody: a text or an html body is required", r.body().get("Message"));
    }

    // the HTTP surface's errors on a Postmark-compatible route
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "401, unauthorized, 401, 10",
        "429, too_many_failures, 429, 429",
        "400, invalid_json, 422, 402",
        "422, incompatible_json, 422, 403",
        "422, batch_too_large, 422, 410",
        "422, invalid_message, 422, 300",
        "413, body_too_large, 413, 300",
        "500, internal, 500, 500",
    })
    void anErrorOfTheHttpSurfaceIsWrittenInPostmarksShape(int status, String code, int answered, int errorCode)
            throws Exception {
        ApiError e = new ApiError(status, code, "what went wrong").with("WWW-Authenticate", "Bearer realm=\"petrel\"");
        if (status == 429) {
            e = e.with("Retry-After", "60");
        }
        Answer a = PostmarkAnswers.error(e);
        assertEquals(answered, a.status());
        JsonNode body = new ObjectMapper().readTree(a.body());
        assertEquals(errorCode, body.path("ErrorCode").asInt());
        assertEquals("what went wrong", body.path("Message").asText());
        assertEquals(2, body.size(), body.toString());
        assertEquals(status == 429 ? Map.of("Retry-After", "60") : Map.of(), a.headers());
    }
}
