package dev.petrel.web;

import dev.petrel.mail.mime.InvalidMessageException;
import dev.petrel.tenant.ApiKey;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Postmark's {@code POST /email} and {@code POST /email/batch}, so that an application written with Postmark's
 * client libraries sends through Petrel by changing only the host: the API key comes as
 * {@code X-Postmark-Server-Token}, the request is read in Postmark's words ({@link PostmarkRequests}), sent by the
 * same {@link Sending} operation as Petrel's own API, and answered in Postmark's words ({@link PostmarkAnswers}),
 * errors included. No rule lives here.
 */
final class PostmarkRoutes {

    private final Sending sending;
    private final int batchMessages;
    private final Clock clock;

    /** @param batchMessages the most messages of one batch ({@code [http] batch_messages}, as for Petrel's batch) */
    PostmarkRoutes(Sending sending, int batchMessages, Clock clock) {
        this.sending = sending;
        this.batchMessages = batchMessages;
        this.clock = clock;
    }

    void addTo(Router router) {
        router.add(new Route("POST", "/email", Route.Access.POSTMARK, this::email, PostmarkAnswers::error));
        router.add(new Route("POST", "/email/batch", Route.Access.POSTMARK, this::batch, PostmarkAnswers::error));
    }

    private Answer email(Exchange x) {
        return send(x, PostmarkRequests.email(x.body())).answer();
    }

    // Postmark answers a batch 200 with one result per message, each with its own ErrorCode
    private Answer batch(Exchange x) throws IOException {
        List<PostmarkRequests.Email> emails = PostmarkRequests.batch(x.body());
        if (emails.isEmpty()) {
            throw new ApiError(422, "invalid_message", "the batch has no message");
        }
        if (emails.size() > batchMessages) {
            throw new ApiError(422, "batch_too_large", emails.size() + " messages, more than the " + batchMessages
                    + " of one batch");
        }
        List<Map<String, Object>> results = Batches.inParallel(emails, e -> send(x, e)).stream()
                .map(SendAnswers.Rendered::body).toList();
        return Answer.ok(results);
    }

    private SendAnswers.Rendered send(Exchange x, PostmarkRequests.Email email) {
        Sending.Order order;
        try {
            order = PostmarkRequests.order(email, key(x), x.client());
        } catch (InvalidMessageException e) {
            return PostmarkAnswers.invalid(e);
        }
        return PostmarkAnswers.render(sending.send(order), email.to(), clock.instant());
    }

    private static ApiKey key(Exchange x) {
        if (x.who() instanceof Caller.Key k) {
            return k.key();
        }
        throw new IllegalStateException("a Postmark-compatible route admits API keys only");
    }
}
