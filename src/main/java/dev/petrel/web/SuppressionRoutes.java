package dev.petrel.web;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.SuppressionExport;
import dev.petrel.compliance.SuppressionList;
import dev.petrel.mail.Address;
import dev.petrel.mail.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /v1/suppressions}: a tenant's suppression list, listed by pages, one address's entries shown, entries
 * added and removed, through {@link SuppressionList} as {@code petrel suppression} does. An API key acts for its
 * tenant, an admin token for {@code default}; an address the tenant has not suppressed answers 404, whoever else
 * has. The admin API's {@code /admin/v1/tenants/{tenant}/suppressions} does the same for any tenant.
 */
final class SuppressionRoutes {

    static final int DEFAULT_PAGE = 100;
    private static final String OWN = "/v1/suppressions";
    private static final String ANY = "/admin/v1/tenants/{tenant}/suppressions";

    private final SuppressionList list;
    private final Audit audit;

    SuppressionRoutes(SuppressionList list, Audit audit) {
        this.list = list;
        this.audit = audit;
    }

    /** {@code stream}: absent for every stream; {@code reason}: absent for {@code manual}. */
    record NewSuppression(String address, String stream, String reason) {}

    void addTo(Router router) {
        Function<Exchange, TenantId> own = x -> x.who().tenant();
        add(router, OWN, Route.Access.TENANT, own);
        add(router, ANY, Route.Access.ADMIN, this::tenant);
    }

    private void add(Router router, String base, Route.Access access, Function<Exchange, TenantId> tenant) {
        router.get(base, access, x -> page(x, tenant.apply(x)));
        router.post(base, access, x -> create(x, tenant.apply(x)));
        router.get(base + "/{address}", access, x -> show(x, tenant.apply(x)));
        router.delete(base + "/{address}", access, x -> remove(x, tenant.apply(x)));
    }

    // the admin API's tenant: one that is not there is a 404, as a missing entry is
    private TenantId tenant(Exchange x) {
        TenantId id = x.path("tenant", TenantId::parse);
        if (!list.hasTenant(id)) {
            throw ApiError.notFound("no tenant " + id);
        }
        return id;
    }

    private Answer page(Exchange x, TenantId tenant) {
        int limit = x.query("limit", Integer::parseInt).orElse(DEFAULT_PAGE);
        SuppressionList.Page page;
        try {
            page = list.list(tenant, x.query("stream"), x.query("after"), limit);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("suppressions", page.entries().stream().map(SuppressionExport::fields).toList());
        out.put("next", page.next());
        return Answer.ok(out);
    }

    private Answer create(Exchange x, TenantId tenant) {
        NewSuppression body = x.read(NewSuppression.class);
        if (body.address() == null) {
            throw ApiError.badRequest("address is required");
        }
        Suppression added;
        try {
            Suppression.Reason reason = body.reason() == null ? Suppression.Reason.MANUAL
                    : Suppression.Reason.parse(body.reason());
            added = list.add(tenant, Address.of(body.address()), Optional.ofNullable(body.stream()), reason);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        audit.record(x, "suppression add " + tenant + " " + added.address()
                + (added.stream() == null ? "" : " stream=" + added.stream()));
        return Answer.json(201, SuppressionExport.fields(added));
    }

    private Answer show(Exchange x, TenantId tenant) {
        List<Suppression> entries = list.entries(tenant, x.path("address", Address::of));
        if (entries.isEmpty()) {
            throw ApiError.notFound("no suppression of " + x.path("address"));
        }
        return Answer.ok(Map.of("address", entries.getFirst().address(),
                "suppressions", entries.stream().map(SuppressionExport::fields).toList()));
    }

    private Answer remove(Exchange x, TenantId tenant) {
        Optional<String> stream = x.query("stream");
        if (!list.remove(tenant, x.path("address", Address::of), stream)) {
            throw ApiError.notFound("no suppression of " + x.path("address")
                    + stream.map(s -> " on stream " + s).orElse(" on every stream"));
        }
        audit.record(x, "suppression remove " + tenant + " " + x.path("address")
                + stream.map(s -> " stream=" + s).orElse(""));
        return Answer.noContent();
    }
}
