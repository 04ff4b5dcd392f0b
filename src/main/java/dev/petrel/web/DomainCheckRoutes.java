package dev.petrel.web;

import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import java.util.Optional;

/**
 * {@code GET /admin/v1/domains/{domain}/check} and {@code GET /v1/domains/{domain}/check}: whether a domain is
 * ready to send, as {@code petrel domain check} says. The admin route checks any domain Petrel has; the tenant's
 * route only the caller's own, another tenant's domain answering 404 as a missing one does. The answer is 200
 * whether or not the domain is ready: {@code ready} says which.
 */
final class DomainCheckRoutes {

    private final DomainChecks checks;

    DomainCheckRoutes(DomainChecks checks) {
        this.checks = checks;
    }

    void addTo(Router router) {
        router.get("/admin/v1/domains/{domain}/check", Route.Access.ADMIN, x -> check(x, Optional.empty()));
        router.get("/v1/domains/{domain}/check", Route.Access.TENANT, x -> check(x, Optional.of(x.who().tenant())));
    }

    private Answer check(Exchange x, Optional<TenantId> tenant) {
        Domain domain = x.path("domain", Domain::parse);
        return Answer.ok(ChecklistView.of(checks.check(tenant, domain)
                .orElseThrow(() -> ApiError.notFound("no domain " + domain))));
    }
}
