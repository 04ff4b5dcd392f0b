package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.petrel.mail.Address;
import dev.petrel.mail.QueueId;
import dev.petrel.web.SendOutcome.Problem;
import dev.petrel.web.SendOutcome.RecipientResult;
import dev.petrel.web.SendOutcome.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The send API's answers to each outcome of {@link Sending}: the status, the error code and Retry-After of every
 * refusal, and each recipient's result beside an answer where every recipient was refused. The end-to-end tests
 * (SendApiRulesTest, LimitsTest, SuppressionTest) reach most of these on a real server; the ones a real server
 * reaches only with a failing queue (503) or a rule not yet there (no_consent) are proved here.
 */
class SendAnswersTest {

    private static final Address BOB = Address.of("bob@remote.test");
    private static final Address CAROL = Address.of("carol@remote.test");
    private static final List<SendRequests.Entry> ENTRIES = List.of(new SendRequests.Entry("Bob <bob@remote.test>",
            BOB, null), new SendRequests.Entry(CAROL.toString(), CAROL, null));

    // each refusal of a whole message: its status and code; those that pass carry Retry-After
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "INVALID_MESSAGE, 422, invalid_message",
        "SENDER_NOT_ALLOWED, 422, sender_not_allowed",
        "STREAM_NOT_ALLOWED, 422, stream_not_allowed",
        "UNKNOWN_STREAM, 422, unknown_stream",
        "TOO_MANY_RECIPIENTS, 422, too_many_recipients",
        "MESSAGE_REFUSED, 422, message_refused",
        "MESSAGE_TOO_LARGE, 413, message_too_large",
        "RATE_LIMITED, 429, rate_limited",
        "STREAM_PAUSED, 429, stream_paused",
        "UNAVAILABLE, 503, unavailable",
        "INSUFFICIENT_STORAGE, 507, insufficient_storage",
    })
    void aMessageRefusedAsAWholeHasItsStatusCodeAndRetryAfter(Problem.Kind kind, int status, String code) {
        Duration wait = status >= 429 ? Duration.ofSeconds(30) : null;
        SendAnswers.Rendered r = SendAnswers.render(new SendOutcome.Refused(new Problem(kind, "why", wait)), ENTRIES);
        assertEquals(status, r.status());
        assertEquals(Map.of("error", Map.of("code", code, "message", "why")), r.body());
        assertEquals(wait == null ? null : "30", r.answer().headers().get("Retry-After"));
    }

    @Test
    void everyRecipientRefusedIs422WithEachRecipientsReasonInTheRequestsOrder() {
        SendAnswers.Rendered r = SendAnswers.render(new SendOutcome.NotSent(List.of(
                new RecipientResult.Refused(CAROL.toString(), Refusal.NO_CONSENT, "no consent on record"),
                new RecipientResult.Refused(BOB.toString(), Refusal.SUPPRESSED, "hard_bounce on 2026-03-01"))),
                ENTRIES);
        assertEquals(422, r.status());
        assertEquals(Map.of("code", "no_recipient_accepted", "message", "every recipient was refused"),
                r.body().get("error"));
        assertEquals(List.of(
                Map.of("address", "bob@remote.test", "status", "refused", "reason", "suppressed",
                        "message", "hard_bounce on 2026-03-01"),
                Map.of("address", "carol@remote.test", "status", "refused", "reason", "no_consent",
                        "message", "no consent on record")), r.body().get("recipients"));
        assertNull(r.answer().headers().get("Retry-After"));
    }

    @Test
    void everyRecipientRefusedAndSomeOverARateIs429WithTheLongestWait() {
        SendAnswers.Rendered r = SendAnswers.render(new SendOutcome.NotSent(List.of(
                new RecipientResult.Refused(BOB.toString(), Refusal.RATE_LIMITED, "over", Duration.ofSeconds(4)),
                new RecipientResult.Refused(CAROL.toString(), Refusal.RECIPIENT_REJECTED, "550 5.1.1 unknown"))),
                ENTRIES);
        assertEquals(429, r.status());
        assertEquals(Map.of("code", "rate_limited", "message",
                "every recipient was refused; some are over a rate or quota"), r.body().get("error"));
        assertEquals(Map.of("address", "bob@remote.test", "status", "refused", "reason", "rate_limited",
                "message", "over", "retry_after", 4L), ((List<?>) r.body().get("recipients")).getFirst());
        assertEquals("4", r.answer().headers().get("Retry-After"));
    }

    @Test
    void aRequestWithNoAddressAtAllIs422NamingEachOne() {
        SendAnswers.Rendered r = SendAnswers.render(null, List.of(new SendRequests.Entry("x", null,
                "not an address: \"x\"")));
        assertEquals(422, r.status());
        assertEquals(Map.of("code", "no_recipient_accepted", "message", "no recipient is an address"),
                r.body().get("error"));
        assertEquals(List.of(Map.of("address", "x", "status", "refused", "reason", "invalid_address",
                "message", "not an address: \"x\"")), r.body().get("recipients"));
    }

    @Test
    void aQueuedMessageIs200WithEachRecipientAcceptedOnce() {
        QueueId id = new QueueId("1M21BN97TM070T6");
        SendAnswers.Rendered r = SendAnswers.render(new SendOutcome.Sent(id, List.of(
                new RecipientResult.Accepted(BOB, id), new RecipientResult.Accepted(CAROL, id))),
                List.of(ENTRIES.get(0), ENTRIES.get(1), ENTRIES.get(1)));
        assertEquals(200, r.status());
        assertEquals(Map.of("message_id", id.value(), "recipients", List.of(
                Map.of("address", "bob@remote.test", "status", "accepted", "message_id", id.value()),
                Map.of("address", "carol@remote.test", "status", "accepted", "message_id", id.value()))), r.body());
    }
}
