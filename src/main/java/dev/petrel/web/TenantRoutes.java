package dev.petrel.web;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.Tenancy;
import dev.petrel.tenant.Tenant;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/tenants}: tenants listed, added, shown, changed (identification and limits) and removed, as
 * {@code petrel tenant} does, through the same {@link Tenancy}; their streams and keys are {@link StreamRoutes}'.
 * A value Tenancy refuses is a 400 with its reason, a name taken a 409, a tenant that is not there a 404.
 */
final class TenantRoutes {

    private final Tenancy tenancy;
    private final Audit audit;

    TenantRoutes(Tenancy tenancy, Audit audit) {
        this.tenancy = tenancy;
        this.audit = audit;
    }

    /** A tenant with its limits (0: none) and how many domains, users and keys it has. */
    record TenantView(String name, String identification, long perSecond, long perDay, Instant created, int domains,
                      int users, int keys) {}

    record NewTenant(String name, String identification, Long perSecond, Long perDay) {}

    /** What a PATCH changes: the fields given, at least one. */
    record TenantChange(String identification, Long perSecond, Long perDay) {}

    void addTo(Router router) {
        router.get("/admin/v1/tenants", Route.Access.ADMIN,
                x -> Answer.ok(tenancy.tenants().stream().map(this::view).toList()));
        router.post("/admin/v1/tenants", Route.Access.ADMIN, this::add);
        router.get("/admin/v1/tenants/{tenant}", Route.Access.ADMIN, x -> Answer.ok(view(tenant(tenancy, x))));
        router.patch("/admin/v1/tenants/{tenant}", Route.Access.ADMIN, this::change);
        router.delete("/admin/v1/tenants/{tenant}", Route.Access.ADMIN, this::remove);
    }

    private Answer add(Exchange x) {
        NewTenant body = x.read(NewTenant.class);
        TenantId id = parsed("name", () -> TenantId.parse(required("name", body.name())));
        check(new TenantChange(body.identification(), body.perSecond(), body.perDay()));
        try {
            tenancy.addTenant(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.conflict(e.getMessage());
        }
        audit.record(x, "tenant add " + id);
        if (body.identification() != null || body.perSecond() != null || body.perDay() != null) {
            apply(id, new TenantChange(body.identification(), body.perSecond(), body.perDay()));
        }
        return Answer.json(201, view(tenancy.tenant(id).orElseThrow()));
    }

    private Answer change(Exchange x) {
        TenantId id = tenant(tenancy, x).id();
        TenantChange body = x.read(TenantChange.class);
        if (body.identification() == null && body.perSecond() == null && body.perDay() == null) {
            throw ApiError.badRequest("nothing to change: give identification, per_second or per_day");
        }
        check(body);
        apply(id, body);
        audit.record(x, "tenant set " + id + (body.identification() == null ? "" : " identification")
                + (body.perSecond() == null ? "" : " per_second=" + body.perSecond())
                + (body.perDay() == null ? "" : " per_day=" + body.perDay()));
        return Answer.ok(view(tenancy.tenant(id).orElseThrow(() -> ApiError.notFound("no tenant " + id))));
    }

    // every value is checked before anything is changed, so that a wrong one changes nothing
    private static void check(TenantChange change) {
        if (change.identification() != null) {
            parsed("identification", () -> Tenancy.checkIdentification(change.identification()));
        }
        checkLimits(change.perSecond(), change.perDay());
    }

    private void apply(TenantId id, TenantChange change) {
        if (change.identification() != null) {
            tenancy.setIdentification(id, change.identification());
        }
        if (change.perSecond() != null || change.perDay() != null) {
            tenancy.setLimits(id, change.perSecond(), change.perDay());
        }
    }

    private Answer remove(Exchange x) {
        TenantId id = x.path("tenant", TenantId::parse);
        boolean removed;
        try {
            removed = tenancy.removeTenant(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.conflict(e.getMessage());
        }
        if (!removed) {
            throw ApiError.notFound("no tenant " + id);
        }
        audit.record(x, "tenant remove " + id);
        return Answer.noContent();
    }

    private TenantView view(Tenant t) {
        return new TenantView(t.id().name(), t.identification(), t.limits().perSecond(), t.limits().perDay(),
                t.created(), tenancy.domains(t.id()).size(), tenancy.users(t.id()).size(), tenancy.keys(t.id()).size());
    }

    /** The tenant the path names; 404 when there is none. */
    static Tenant tenant(Tenancy tenancy, Exchange x) {
        TenantId id = x.path("tenant", TenantId::parse);
        return tenancy.tenant(id).orElseThrow(() -> ApiError.notFound("no tenant " + id));
    }

    /** Limits given in a body, each a 400 naming its field when out of range. */
    static void checkLimits(Long perSecond, Long perDay) {
        if (perSecond != null) {
            parsed("per_second", () -> Limits.checkPerSecond(perSecond));
        }
        if (perDay != null) {
            parsed("per_day", () -> Limits.checkPerDay(perDay));
        }
    }

    static <T> T parsed(String field, Supplier<T> parse) {
        return AccountRoutes.parsed(field, parse);
    }

    static <T> T required(String field, T value) {
        return AccountRoutes.required(field, value);
    }
}
