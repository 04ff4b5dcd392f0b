package dev.petrel.web;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/v1/tenants/{tenant}/streams} and {@code /keys}: a tenant's streams (listed, added, shown, their
 * limits and sandbox set, paused and resumed; an egress pool is chosen with the command line, which knows the
 * configured pools) and API keys (listed, made, revoked), as {@code petrel stream} and
 * {@code petrel key} do, through the same {@link Tenancy}. A tenant's stream or key is reached only under that
 * tenant: another's answers 404 as a missing one does. A new key is in the answer that made it, and never again.
 */
final class StreamRoutes {

    private static final String STREAMS = "/admin/v1/tenants/{tenant}/streams";
    private static final String STREAM = STREAMS + "/{stream}";
    private static final String KEYS = "/admin/v1/tenants/{tenant}/keys";

    private final Tenancy tenancy;
    private final Audit audit;

    StreamRoutes(Tenancy tenancy, Audit audit) {
        this.tenancy = tenancy;
        this.audit = audit;
    }

    /**
     * @param pause why and since when the reputation guard paused it; null when it runs or an operator paused it
     * @param resumed when it was last resumed; null when never
     */
    record StreamView(String tenant, String name, String kind, String source, String ehlo, String egress,
                      boolean paused, boolean sandbox, long perSecond, long perDay, Instant created, PauseView pause,
                      Instant resumed) {}

    record PauseView(String reason, String text, Instant at) {}

    record NewStream(String name, String kind, String source, String ehlo, Long perSecond, Long perDay) {}

    /** What a PATCH of a stream changes: the fields given, at least one. */
    record StreamChange(Long perSecond, Long perDay, Boolean sandbox) {}

    /** {@code stream}: null for a key that may send on any of the tenant's streams. */
    record KeyView(String id, String tenant, String stream, Instant created) {}

    record NewKey(String stream) {}

    void addTo(Router router) {
        router.get(STREAMS, Route.Access.ADMIN, x -> Answer.ok(tenancy.streams(tenant(x)).stream()
                .map(StreamRoutes::view).toList()));
        router.post(STREAMS, Route.Access.ADMIN, this::addStream);
        router.get(STREAM, Route.Access.ADMIN, x -> Answer.ok(view(stream(x))));
        router.patch(STREAM, Route.Access.ADMIN, this::changeStream);
        router.post(STREAM + "/pause", Route.Access.ADMIN, x -> paused(x, true));
        router.post(STREAM + "/resume", Route.Access.ADMIN, x -> paused(x, false));
        router.get(KEYS, Route.Access.ADMIN, x -> Answer.ok(tenancy.keys(tenant(x)).stream()
                .map(StreamRoutes::view).toList()));
        router.post(KEYS, Route.Access.ADMIN, this::createKey);
        router.delete(KEYS + "/{key}", Route.Access.ADMIN, this::revokeKey);
    }

    private TenantId tenant(Exchange x) {
        return TenantRoutes.tenant(tenancy, x).id();
    }

    private Stream stream(Exchange x) {
        TenantId tenant = tenant(x);
        String name = x.path("stream");
        return tenancy.stream(tenant, name)
                .orElseThrow(() -> ApiError.notFound("tenant " + tenant + " has no stream " + name));
    }

    private Answer addStream(Exchange x) {
        TenantId tenant = tenant(x);
        NewStream body = x.read(NewStream.class);
        String name = TenantRoutes.parsed("name", () -> Stream.checkName(TenantRoutes.required("name", body.name())));
        Stream.Kind kind = TenantRoutes.parsed("kind", () -> Stream.Kind.parse(TenantRoutes.required("kind",
                body.kind())));
        TenantRoutes.checkLimits(body.perSecond(), body.perDay());
        try {
            tenancy.addStream(tenant, name, kind, body.source(), body.ehlo());
        } catch (IllegalArgumentException e) {
            throw ApiError.conflict(e.getMessage());
        }
        if (body.perSecond() != null || body.perDay() != null) {
            tenancy.setLimits(tenant, name, body.perSecond(), body.perDay());
        }
        audit.record(x, "stream add " + tenant + " " + name);
        return Answer.json(201, view(tenancy.stream(tenant, name).orElseThrow()));
    }

    private Answer changeStream(Exchange x) {
        Stream stream = stream(x);
        StreamChange body = x.read(StreamChange.class);
        if (body.perSecond() == null && body.perDay() == null && body.sandbox() == null) {
            throw ApiError.badRequest("nothing to change: give per_second, per_day or sandbox");
        }
        TenantRoutes.checkLimits(body.perSecond(), body.perDay());
        if (body.sandbox() != null) {
            tenancy.setSandbox(stream.tenant(), stream.name(), body.sandbox());
        }
        if (body.perSecond() != null || body.perDay() != null) {
            tenancy.setLimits(stream.tenant(), stream.name(), body.perSecond(), body.perDay());
        }
        audit.record(x, "stream set " + stream.tenant() + " " + stream.name()
                + (body.sandbox() == null ? "" : " sandbox=" + body.sandbox())
                + (body.perSecond() == null ? "" : " per_second=" + body.perSecond())
                + (body.perDay() == null ? "" : " per_day=" + body.perDay()));
        return Answer.ok(view(stream(x)));
    }

    private Answer paused(Exchange x, boolean paused) {
        Stream stream = stream(x);
        if (!tenancy.setPaused(stream.tenant(), stream.name(), paused)) {
            throw ApiError.notFound("tenant " + stream.tenant() + " has no stream " + stream.name());
        }
        audit.record(x, "stream " + (paused ? "pause " : "resume ") + stream.tenant() + " " + stream.name());
        return Answer.ok(view(tenancy.stream(stream.tenant(), stream.name()).orElseThrow()));
    }

    private Answer createKey(Exchange x) {
        TenantId tenant = tenant(x);
        NewKey body = x.body().length == 0 ? new NewKey(null) : x.read(NewKey.class);
        Tenancy.IssuedKey issued = TenantRoutes.parsed("stream", () -> tenancy.createKey(tenant,
                Optional.ofNullable(body.stream())));
        // the key's public id only: the key itself is never logged
        audit.record(x, "key create " + tenant + " " + issued.key().id());
        return Answer.json(201, Map.of("key", view(issued.key()), "secret", issued.secret()));
    }

    private Answer revokeKey(Exchange x) {
        TenantId tenant = tenant(x);
        String id = x.path("key");
        if (!tenancy.revokeKey(tenant, id)) {
            throw ApiError.notFound("tenant " + tenant + " has no API key " + id);
        }
        audit.record(x, "key revoke " + tenant + " " + id);
        return Answer.noContent();
    }

    static StreamView view(Stream s) {
        return new StreamView(s.tenant().name(), s.name(), s.kind().text(), s.source(), s.ehlo(), s.egress(),
                s.paused(), s.sandbox(), s.perSecond(), s.perDay(), s.created(),
                s.pause() == null ? null : new PauseView(s.pause().reason(), s.pause().text(), s.pause().at()),
                s.resumed());
    }

    static KeyView view(ApiKey k) {
        return new KeyView(k.id(), k.tenant().name(), k.stream(), k.created());
    }
}
