package dev.petrel.web;

import dev.petrel.mail.TenantId;
import dev.petrel.webhook.TargetCheck;
import dev.petrel.webhook.WebhookOperations;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/webhooks}: a tenant's endpoints, made, listed, shown with their state, and removed, through
 * {@link WebhookOperations} as {@code petrel webhook} does. An API key acts for its tenant, an admin token for
 * {@code default}; another tenant's endpoint answers 404 as a missing one does. A new endpoint's signing secret is in
 * the answer that made it, and never again.
 */
final class WebhookRoutes {

    private final WebhookOperations webhooks;
    private final Audit audit;

    WebhookRoutes(WebhookOperations webhooks, Audit audit) {
        this.webhooks = webhooks;
        this.audit = audit;
    }

    /** {@code events}: the event types wanted, all when absent or empty. */
    record NewEndpoint(String url, List<String> events) {}

    void addTo(Router router) {
        router.get("/v1/webhooks", Route.Access.TENANT,
                x -> Answer.ok(Map.of("webhooks", webhooks.list(tenant(x)))));
        router.post("/v1/webhooks", Route.Access.TENANT, this::create);
        router.get("/v1/webhooks/{id}", Route.Access.TENANT, x -> Answer.ok(webhooks.show(tenant(x), x.path("id"))
                .orElseThrow(() -> ApiError.notFound("no webhook " + x.path("id")))));
        router.delete("/v1/webhooks/{id}", Route.Access.TENANT, x -> {
            if (!webhooks.delete(tenant(x), x.path("id"))) {
                throw ApiError.notFound("no webhook " + x.path("id"));
            }
            audit.record(x, "webhook remove " + x.path("id"));
            return Answer.noContent();
        });
    }

    // the key's tenant; an admin token's is default
    private static TenantId tenant(Exchange x) {
        return x.who().tenant();
    }

    private Answer create(Exchange x) {
        NewEndpoint body = x.read(NewEndpoint.class);
        if (body.url() == null) {
            throw ApiError.badRequest("url is required");
        }
        WebhookOperations.Created created;
        try {
            created = webhooks.create(tenant(x), body.url(), body.events() == null ? List.of() : body.events());
        } catch (TargetCheck.Refused e) {
            throw new ApiError(400, "target_refused", "url: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("events: " + e.getMessage());
        }
        audit.record(x, "webhook add " + created.endpoint().id());
        return Answer.json(201, Map.of("webhook", created.endpoint(), "secret", created.secret()));
    }
}
