package dev.petrel.web;

import dev.petrel.webhook.TargetCheck;
import dev.petrel.webhook.WebhookOperations;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/webhooks}: a tenant's endpoints, made, listed, shown with their state, and removed, through
 * {@link WebhookOperations} as {@code petrel webhook} does. Until tenants and their API keys exist, an admin
 * token acts for the {@code default} tenant. A new endpoint's signing secret is in the answer that made it, and
 * never again.
 */
final class WebhookRoutes {

    /** The tenant an admin token acts for until API keys choose one. */
    static final String DEFAULT_TENANT = "default";

    private final WebhookOperations webhooks;
    private final Audit audit;

    WebhookRoutes(WebhookOperations webhooks, Audit audit) {
        this.webhooks = webhooks;
        this.audit = audit;
    }

    /** {@code events}: the event types wanted, all when absent or empty. */
    record NewEndpoint(String url, List<String> events) {}

    void addTo(Router router) {
        router.get("/v1/webhooks", Route.Access.ADMIN,
                x -> Answer.ok(Map.of("webhooks", webhooks.list(DEFAULT_TENANT))));
        router.post("/v1/webhooks", Route.Access.ADMIN, this::create);
        router.get("/v1/webhooks/{id}", Route.Access.ADMIN, x -> Answer.ok(webhooks.show(DEFAULT_TENANT, x.path("id"))
                .orElseThrow(() -> ApiError.notFound("no webhook " + x.path("id")))));
        router.delete("/v1/webhooks/{id}", Route.Access.ADMIN, x -> {
            if (!webhooks.delete(DEFAULT_TENANT, x.path("id"))) {
                throw ApiError.notFound("no webhook " + x.path("id"));
            }
            audit.record(x, "webhook remove " + x.path("id"));
            return Answer.noContent();
        });
    }

    private Answer create(Exchange x) {
        NewEndpoint body = x.read(NewEndpoint.class);
        if (body.url() == null) {
            throw ApiError.badRequest("url is required");
        }
        WebhookOperations.Created created;
        try {
            created = webhooks.create(DEFAULT_TENANT, body.url(), body.events() == null ? List.of() : body.events());
        } catch (TargetCheck.Refused e) {
            throw new ApiError(400, "target_refused", "url: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("events: " + e.getMessage());
        }
        audit.record(x, "webhook add " + created.endpoint().id());
        return Answer.json(201, Map.of("webhook", created.endpoint(), "secret", created.secret()));
    }
}
