package dev.petrel.cli;

import dev.petrel.config.Config;
import dev.petrel.event.EventFeed;
import dev.petrel.event.SoleConsumer;
import dev.petrel.event.SoleConsumers;
import java.io.IOException;
import dev.petrel.store.Stores;
import dev.petrel.webhook.JettyPoster;
import dev.petrel.webhook.TargetCheck;
import dev.petrel.webhook.WebhookDispatcher;
import dev.petrel.webhook.WebhookOperations;
import dev.petrel.webhook.WebhookResults;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * The webhooks of a running server: the dispatcher reading the feed by its cursor (on one node at a time), its
 * HTTP client, and the
 * operations the web layer serves {@code /v1/webhooks} with. Closed before the queue, so the dispatcher's last
 * cursor save and acknowledgements reach their stores.
 */
final class WebhookWiring implements AutoCloseable {

    private final JettyPoster poster;
    private final SoleConsumer<WebhookDispatcher> dispatcher;
    private final WebhookOperations operations;

    private WebhookWiring(JettyPoster poster, SoleConsumer<WebhookDispatcher> dispatcher,
                          WebhookOperations operations) {
        this.poster = poster;
        this.dispatcher = dispatcher;
        this.operations = operations;
    }

    /**
     * @param secure a secure generator: it makes secrets (and the backoff's jitter)
     * @param results told of each attempt's result (metrics); {@link WebhookResults#NONE} for none
     * @param consumers runs the dispatcher on one node at a time (a new one each time this node takes it)
     */
    static WebhookWiring start(Config config, Stores stores, EventFeed feed, SoleConsumers consumers, Clock clock,
                               RandomGenerator secure, WebhookResults results) throws IOException {
        WebhookDispatcher.Settings settings = WebhookDispatcher.Settings.DEFAULT;
        TargetCheck check = new TargetCheck(config.http().webhookAllowPrivate(), TargetCheck.Resolver.SYSTEM);
        JettyPoster poster = new JettyPoster(settings.timeout(), settings.parallel());
        SoleConsumer<WebhookDispatcher> dispatcher;
        try {
            dispatcher = consumers.start(WebhookDispatcher.CURSOR, cursors -> new WebhookDispatcher(stores.webhooks(),
                    feed, cursors, poster, check, clock, secure, results, settings).start());
        } catch (IOException | RuntimeException e) {
            poster.close();
            throw e;
        }
        return new WebhookWiring(poster, dispatcher, new WebhookOperations(stores.webhooks(), check, clock, secure));
    }

    WebhookOperations operations() {
        return operations;
    }

    @Override
    public void close() throws IOException {
        try {
            dispatcher.close();
        } finally {
            poster.close();
        }
    }
}
