package dev.petrel.web;

import dev.petrel.mail.mime.InvalidMessageException;
import dev.petrel.web.SendOutcome.Problem;
import dev.petrel.web.SendOutcome.RecipientResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Postmark-compatible API's answers, as Postmark's API documents them: {@code To}, {@code SubmittedAt},
 * {@code MessageID}, {@code ErrorCode} 0 and {@code Message} "OK" for a message queued; {@code ErrorCode} and
 * {@code Message} for one refused, with the HTTP status Postmark uses (422 for what is wrong with the request, 401
 * for the token, 429 over a rate, 5xx for the server). Each of Postmark's error codes is chosen here, once, from
 * {@link Sending}'s outcome or the HTTP surface's {@link ApiError}.
 */
final class PostmarkAnswers {

    /** Postmark's API error codes that Petrel answers with, and when. */
    static final int OK = 0;
    /** The server token is missing, or no valid API key. */
    static final int BAD_TOKEN = 10;
    /** Petrel could not take the message now (the queue's disk is full, or it is unavailable): try again. */
    static final int UNAVAILABLE = 100;
    /** The message is not one that can be sent: a field in error, too many recipients, too large. */
    static final int INVALID_EMAIL_REQUEST = 300;
    /** The From's (or sender's) domain is not the key's tenant's: Postmark's "sender signature not found". */
    static final int SENDER_NOT_FOUND = 400;
    /** The body is not JSON. */
    static final int INVALID_JSON = 402;
    /** JSON, but a field has the wrong type (an array where Postmark takes a comma-separated string). */
    static final int INCOMPATIBLE_JSON = 403;
    /** The key may not send on the stream asked for. */
    static final int NOT_ALLOWED_TO_SEND = 405;
    /** No recipient was sent to, and some are suppressed (inactive, in Postmark's word). */
    static final int INACTIVE_RECIPIENT = 406;
    /** More messages in one batch than {@code [http] batch_messages}. */
    static final int TOO_MANY_BATCH_MESSAGES = 410;
    /** Over the tenant's or stream's rate or quota; see {@code Retry-After}. */
    static final int RATE_LIMIT_EXCEEDED = 429;
    /** The server failed to answer. */
    static final int INTERNAL = 500;

    private PostmarkAnswers() {}

    /** The answer to one message whose request named {@code to}, sent (or not) at {@code now}. */
    static SendAnswers.Rendered render(SendOutcome outcome, String to, Instant now) {
        return switch (outcome) {
            case SendOutcome.Sent s -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("To", to == null ? "" : to.strip());
                body.put("SubmittedAt", now.toString());
                body.put("MessageID", s.id().value());
                body.put("ErrorCode", OK);
                body.put("Message", "OK");
                yield new SendAnswers.Rendered(200, body, null);
            }
            case SendOutcome.NotSent n -> notSent(n);
            case SendOutcome.Refused r -> problem(r.problem());
        };
    }

    /** A draft the composer (or Postmark's fields) refused: 300, naming Postmark's field. */
    static SendAnswers.Rendered invalid(InvalidMessageException e) {
        return failed(422, INVALID_EMAIL_REQUEST, PostmarkRequests.inPostmarkWords(e.getMessage()), null);
    }

    /** An error of the HTTP surface (token, JSON, limits) on a Postmark-compatible route, in Postmark's shape. */
    static Answer error(ApiError e) {
        int status;
        int code;
        if (e.status() == 401) {
            status = 401;
            code = BAD_TOKEN;
        } else if (e.status() == 429) {
            status = 429;
            code = RATE_LIMIT_EXCEEDED;
        } else if (e.status() == 413) {
            status = 413;
            code = INVALID_EMAIL_REQUEST;
        } else if (e.status() >= 500) {
            status = e.status();
            code = INTERNAL;
        } else {
            status = 422;
            code = switch (e.code()) {
                case "invalid_json" -> INVALID_JSON;
                case PostmarkRequests.INCOMPATIBLE -> INCOMPATIBLE_JSON;
                case "batch_too_large" -> TOO_MANY_BATCH_MESSAGES;
                default -> INVALID_EMAIL_REQUEST;
            };
        }
        Answer answer = Answer.json(status, body(code, e.getMessage()));
        String retryAfter = e.headers().get("Retry-After");
        return retryAfter == null ? answer : answer.with("Retry-After", retryAfter);
    }

    private static SendAnswers.Rendered problem(Problem p) {
        return switch (p.kind()) {
            case INVALID_MESSAGE -> failed(422, INVALID_EMAIL_REQUEST, PostmarkRequests.inPostmarkWords(p.message()),
                    null);
            // Postmark has no word for a sender that CASL 6(2) finds unidentified: its generic refusal, saying what lacks
            case TOO_MANY_RECIPIENTS, MESSAGE_TOO_LARGE, UNKNOWN_STREAM, MESSAGE_REFUSED, IDENTIFICATION_INCOMPLETE ->
                    failed(422, INVALID_EMAIL_REQUEST, p.message(), null);
            case SENDER_NOT_ALLOWED -> failed(422, SENDER_NOT_FOUND, p.message(), null);
            case STREAM_NOT_ALLOWED -> failed(422, NOT_ALLOWED_TO_SEND, p.message(), null);
            case RATE_LIMITED -> failed(429, RATE_LIMIT_EXCEEDED, p.message(), p.retryAfter());
            // Postmark's nearest: 412 "account pending / sending paused" is not one its libraries know; 429 is
            case STREAM_PAUSED -> failed(429, RATE_LIMIT_EXCEEDED, p.message(), null);
            case INSUFFICIENT_STORAGE, UNAVAILABLE -> failed(503, UNAVAILABLE, p.message(), p.retryAfter());
        };
    }

    // every recipient refused: over a rate (429), suppressed (406, naming them as Postmark's libraries read it), or
    // refused for another reason (300)
    private static SendAnswers.Rendered notSent(SendOutcome.NotSent n) {
        List<RecipientResult.Refused> refused = n.recipients().stream()
                .filter(RecipientResult.Refused.class::isInstance).map(RecipientResult.Refused.class::cast).toList();
        List<RecipientResult.Refused> suppressed = refused.stream()
                .filter(r -> r.reason() == SendOutcome.Refusal.SUPPRESSED).toList();
        List<RecipientResult.Refused> others = refused.stream()
                .filter(r -> r.reason() != SendOutcome.Refusal.SUPPRESSED).toList();
        if (n.retryAfter() != null) {
            return failed(429, RATE_LIMIT_EXCEEDED, "No recipient was sent to: " + list(refused)
                    + ". Try again in " + seconds(n.retryAfter()) + " s.", n.retryAfter());
        }
        if (!suppressed.isEmpty()) {
            String names = suppressed.stream().map(RecipientResult::address).collect(Collectors.joining(", "));
            return failed(422, INACTIVE_RECIPIENT, "No recipient was sent to. Found inactive addresses: " + names
                    + ". Inactive addresses are on the suppression list (a hard bounce, a complaint or an"
                    + " unsubscribe put them there)." + (others.isEmpty() ? "" : " Also refused: " + list(others)
                    + "."), null);
        }
        return failed(422, INVALID_EMAIL_REQUEST, "No recipient was sent to: " + list(others) + ".", null);
    }

    private static String list(List<RecipientResult.Refused> refused) {
        return refused.stream().map(r -> r.address() + " (" + r.reason().code() + ": " + r.message() + ")")
                .collect(Collectors.joining(", "));
    }

    private static SendAnswers.Rendered failed(int status, int code, String message, Duration retryAfter) {
        return new SendAnswers.Rendered(status, body(code, message), retryAfter);
    }

    private static Map<String, Object> body(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ErrorCode", code);
        body.put("Message", message);
        return body;
    }

    private static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }
}
