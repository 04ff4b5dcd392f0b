package dev.petrel.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.mail.mime.InvalidMessageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code POST /v1/messages}, {@code /v1/messages/batch} and {@code /v1/messages/raw}: each request is parsed into
 * orders for {@link Sending} and its outcome rendered by {@link SendAnswers}; no rule lives here. A batch's messages
 * are sent in parallel ({@link Batches}), and each has its own result.
 */
final class MessageRoutes {

    private final Sending sending;
    private final int batchMessages;
    private final Idempotency idempotency;

    /** @param batchMessages the most messages of one batch ({@code [http] batch_messages}) */
    MessageRoutes(Sending sending, int batchMessages, Idempotency idempotency) {
        this.sending = sending;
        this.batchMessages = batchMessages;
        this.idempotency = idempotency;
    }

    /** A batch: its messages as JSON, each read on its own so that one in error refuses only itself. */
    record Batch(List<JsonNode> messages) {}

    void addTo(Router router) {
        router.post("/v1/messages", Route.Access.SENDER,
                idempotency.wrap(x -> send(x, x.read(SendRequests.Message.class)).answer()));
        router.post("/v1/messages/raw", Route.Access.SENDER, idempotency.wrap(this::raw));
        router.post("/v1/messages/batch", Route.Access.SENDER, idempotency.wrap(this::batch));
    }

    private SendAnswers.Rendered send(Exchange x, SendRequests.Message message) {
        return sent(() -> SendRequests.message(message, key(x), x.client()));
    }

    private Answer raw(Exchange x) {
        SendRequests.Raw raw = x.read(SendRequests.Raw.class);
        return sent(() -> SendRequests.raw(raw, key(x), x.client())).answer();
    }

    // a request parsed into an order, sent, and its outcome rendered; a field in error refuses it (422)
    private SendAnswers.Rendered sent(Supplier<SendRequests.Parsed> parse) {
        SendRequests.Parsed parsed;
        try {
            parsed = parse.get();
        } catch (InvalidMessageException e) {
            return SendAnswers.problem(new SendOutcome.Problem(SendOutcome.Problem.Kind.INVALID_MESSAGE,
                    e.getMessage()));
        }
        return SendAnswers.render(parsed.order() == null ? null : sending.send(parsed.order()), parsed.recipients());
    }

    private Answer batch(Exchange x) throws java.io.IOException {
        Batch batch = x.read(Batch.class);
        if (batch.messages() == null || batch.messages().isEmpty()) {
            throw new ApiError(422, "invalid_message", "messages: at least one message");
        }
        if (batch.messages().size() > batchMessages) {
            throw new ApiError(422, "batch_too_large", batch.messages().size() + " messages, more than the "
                    + batchMessages + " of one batch");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (SendAnswers.Rendered r : Batches.inParallel(batch.messages(), node -> batched(x, node))) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("status", r.status());
            result.putAll(r.body());
            results.add(result);
        }
        return Answer.ok(Map.of("results", results));
    }

    // one message of a batch: a JSON error refuses only this one
    private SendAnswers.Rendered batched(Exchange x, JsonNode node) {
        try {
            return send(x, Json.read(node, SendRequests.Message.class));
        } catch (ApiError e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", e.code());
            error.put("message", e.getMessage());
            return new SendAnswers.Rendered(e.status(), Map.of("error", error), null);
        }
    }

    private static dev.petrel.tenant.ApiKey key(Exchange x) {
        if (x.who() instanceof Caller.Key k) {
            return k.key();
        }
        throw new IllegalStateException("a sending route admits API keys only");
    }
}
