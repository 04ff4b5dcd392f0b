package dev.petrel.web;

import dev.petrel.account.Directory;
import dev.petrel.event.EventFeed;
import dev.petrel.queue.QueueActions;
import dev.petrel.webhook.WebhookOperations;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every route of the HTTP surface in one {@link Router}: the system routes, the admin API, and what later parts
 * (webhooks, the dashboard, the send API) add. The command line builds one from the running server's parts.
 */
public final class HttpSurface {

    /** What the routes need of the running server. */
    public record Parts(Directory directory, QueueActions queue, EventFeed feed, WebhookOperations webhooks,
                        Supplier<String> metrics, Supplier<List<String>> problems, Clock clock, Consumer<String> log) {}

    /**
     * What the send API needs: the sending operation, and the most messages of one batch.
     */
    public record SendParts(Sending sending, int batchMessages) {}

    private HttpSurface() {}

    /** The routes without the send API (tests of the admin API). */
    public static Router router(Parts parts) {
        return router(parts, new SendParts(null, 0));
    }

    public static Router router(Parts parts, SendParts send) {
        Router router = new Router();
        Audit audit = new Audit(parts.log());
        new SystemRoutes(parts.feed(), parts.metrics(), () -> parts.problems().get()).addTo(router);
        new QueueRoutes(parts.queue(), parts.clock(), audit).addTo(router);
        new AccountRoutes(parts.directory(), audit).addTo(router);
        new WebhookRoutes(parts.webhooks(), audit).addTo(router);
        new MessageRoutes(send.sending(), send.batchMessages()).addTo(router);
        return router;
    }
}
