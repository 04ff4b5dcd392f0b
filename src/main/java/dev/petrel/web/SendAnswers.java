package dev.petrel.web;

import dev.petrel.web.SendOutcome.Problem;
import dev.petrel.web.SendOutcome.RecipientResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The send API's answers: {@code 200} with the message's id and each recipient's result once it is queued; an
 * error of the one shape otherwise, with each recipient's result beside it when every recipient was refused. The
 * status of each refusal is chosen here, once.
 */
final class SendAnswers {

    private SendAnswers() {}

    /** A status and the JSON body (a single send's answer, or one result of a batch). */
    record Rendered(int status, Map<String, Object> body, Duration retryAfter) {
        Answer answer() {
            Answer a = Answer.json(status, body);
            return retryAfter == null ? a : a.with("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
    }

    /** The answer to a request whose recipients were {@code entries}; {@code outcome} null when none was an address. */
    static Rendered render(SendOutcome outcome, List<SendRequests.Entry> entries) {
        return switch (outcome) {
            case null -> error(422, "no_recipient_accepted", "no recipient is an address", null,
                    recipients(entries, List.of()));
            case SendOutcome.Sent s -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("message_id", s.id().value());
                body.put("recipients", recipients(entries, s.recipients()));
                yield new Rendered(200, body, null);
            }
            case SendOutcome.NotSent n -> n.retryAfter() != null
                    ? error(429, "rate_limited", "every recipient was refused; some are over a rate or quota",
                            n.retryAfter(), recipients(entries, n.recipients()))
                    : error(422, "no_recipient_accepted", "every recipient was refused", null,
                            recipients(entries, n.recipients()));
            case SendOutcome.Refused r -> problem(r.problem());
        };
    }

    /** A message refused as a whole: its status, code and, for what passes, Retry-After. */
    static Rendered problem(Problem p) {
        int status = switch (p.kind()) {
            case MESSAGE_TOO_LARGE -> 413;
            case RATE_LIMITED, STREAM_PAUSED -> 429;
            case INSUFFICIENT_STORAGE -> 507;
            case UNAVAILABLE -> 503;
            case INVALID_MESSAGE, SENDER_NOT_ALLOWED, STREAM_NOT_ALLOWED, UNKNOWN_STREAM, TOO_MANY_RECIPIENTS,
                 MESSAGE_REFUSED, IDENTIFICATION_INCOMPLETE -> 422;
        };
        return error(status, p.kind().code(), p.message(), p.retryAfter(), null);
    }

    private static Rendered error(int status, String code, String message, Duration retryAfter,
                                  List<Map<String, Object>> recipients) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        body.put("error", error);
        if (recipients != null) {
            body.put("recipients", recipients);
        }
        return new Rendered(status, body, retryAfter);
    }

    // each recipient once, in the request's order: those that were no address, and the sending's results
    private static List<Map<String, Object>> recipients(List<SendRequests.Entry> entries,
                                                        List<RecipientResult> results) {
        Map<String, RecipientResult> byAddress = new HashMap<>();
        results.forEach(r -> byAddress.putIfAbsent(r.address(), r));
        Set<String> seen = new LinkedHashSet<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (SendRequests.Entry e : entries) {
            if (!seen.add(e.text())) {
                continue;
            }
            RecipientResult r = e.address() == null
                    ? new RecipientResult.Refused(e.text(), SendOutcome.Refusal.INVALID_ADDRESS, e.problem())
                    : byAddress.get(e.address().toString());
            if (r != null) {
                out.add(recipient(r));
            }
        }
        return out;
    }

    private static Map<String, Object> recipient(RecipientResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", r.address());
        switch (r) {
            case RecipientResult.Accepted a -> {
                out.put("status", "accepted");
                out.put("message_id", a.id().value());
            }
            case RecipientResult.Refused f -> {
                out.put("status", "refused");
                out.put("reason", f.reason().code());
                out.put("message", f.message());
                if (f.retryAfter() != null) {
                    out.put("retry_after", f.retryAfter().toSeconds());
                }
            }
        }
        return out;
    }
}
