package dev.petrel.web;

import dev.petrel.mail.Decision;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.tenant.ApiKey;
import java.util.Optional;

/**
 * Who may call what, for every route: public routes are open; admin routes go to the {@link AdminGate}; a tenant's
 * routes take an API key ({@code Authorization: Bearer pk_...}) for its tenant, or an admin token acting for the
 * tenant {@code default}; sending takes an API key only (on the Postmark-compatible routes as
 * {@code X-Postmark-Server-Token}). An admin token is no API key and an API key no admin
 * token: a valid one on the other's route is answered 403. A wrong key counts as a failure of the client's
 * address, as a wrong admin token and failed SMTP AUTH do (the same limiter): past the limit, 429.
 */
public final class AccessGate implements WebServer.Gate {

    /** Finds the key a client presents ({@code Tenancy::verifyKey}): empty when it is none, or revoked. */
    @FunctionalInterface
    public interface Keys {
        Optional<ApiKey> verify(String presented);
    }

    private static final String BEARER = "bearer ";
    private static final String KEY_PREFIX = "pk_";
    private static final String POSTMARK_TOKEN = "x-postmark-server-token";

    private final AdminGate admin;
    private final Keys keys;
    private final AuthFailureLimiter failures;

    /** @param failures the admin gate's limiter, so that keys and tokens share one count per address */
    public AccessGate(AdminGate admin, Keys keys, AuthFailureLimiter failures) {
        this.admin = admin;
        this.keys = keys;
        this.failures = failures;
    }

    @Override
    public Caller admit(Route.Access access, Exchange request) {
        Optional<String> bearer = bearer(request);
        boolean key = bearer.filter(b -> b.startsWith(KEY_PREFIX)).isPresent();
        return switch (access) {
            case PUBLIC -> null;
            case ADMIN -> {
                if (key) {
                    verifiedKey(request, bearer.get());
                    throw forbidden("an API key cannot call the admin API; it wants an admin token");
                }
                yield new Caller.Operator(admin.admit(access, request));
            }
            case TENANT -> key ? verifiedKey(request, bearer.get()) : operator(request);
            case SENDER -> {
                if (key) {
                    yield verifiedKey(request, bearer.get());
                }
                if (bearer.isEmpty()) {
                    throw AdminGate.unauthorized("sending needs an API key (Authorization: Bearer pk_...;"
                            + " petrel key create TENANT makes one)");
                }
                admin.admit(Route.Access.ADMIN, request);
                throw forbidden("an admin token cannot send; sending needs an API key (petrel key create TENANT)");
            }
            case POSTMARK -> postmark(request);
        };
    }

    // Postmark's server token header carries the API key; anything else there counts as a wrong key
    private Caller.Key postmark(Exchange request) {
        Optional<String> token = request.header(POSTMARK_TOKEN).map(String::strip).filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            throw AdminGate.unauthorized("the X-Postmark-Server-Token header is missing; it takes an API key"
                    + " (petrel key create TENANT makes one)");
        }
        return verifiedKey(request, token.get());
    }

    /** The key a client presents, checked; a wrong one counts as a failure of its address (401, or 429). */
    Caller.Key verifiedKey(Exchange request, String presented) {
        if (failures.check(request.client()) instanceof Decision.Defer) {
            throw admin.tooMany();
        }
        Optional<ApiKey> found = keys.verify(presented);
        if (found.isPresent()) {
            return new Caller.Key(found.get());
        }
        if (failures.failed(request.client()) instanceof Decision.Defer) {
            throw admin.tooMany();
        }
        throw AdminGate.unauthorized("the API key is not valid, or was revoked");
    }

    // an admin token or the dashboard's session, acting for the tenant default
    private Caller operator(Exchange request) {
        try {
            return new Caller.Operator(admin.admit(Route.Access.ADMIN, request));
        } catch (ApiError e) {
            if (e.status() == 401 && request.header("authorization").isEmpty()) {
                throw AdminGate.unauthorized("an API key is needed (Authorization: Bearer pk_...); an admin token"
                        + " acts for the tenant default");
            }
            throw e;
        }
    }

    private static Optional<String> bearer(Exchange request) {
        return request.header("authorization")
                .filter(v -> v.length() > BEARER.length() && v.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(v -> v.substring(BEARER.length()).strip());
    }

    private static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }
}
