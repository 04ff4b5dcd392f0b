package dev.petrel.web;

import dev.petrel.account.Directory;
import dev.petrel.mail.Decision;
import dev.petrel.policy.AuthFailureLimiter;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may call what: public routes are open; admin routes want an admin token as {@code Authorization: Bearer}
 * or a signed-in dashboard session. Wrong tokens count as failures per client address, like failed SMTP AUTH:
 * past the limit, that address is answered 429 until its window has passed, even with a right token.
 */
public final class AdminGate {

    /** The dashboard's signed-in sessions: the operator's name when the request carries one. */
    @FunctionalInterface
    public interface Sessions {
        Sessions NONE = request -> Optional.empty();

        Optional<String> principal(Exchange request);
    }

    private static final String BEARER = "bearer ";

    private final Directory directory;
    private final AuthFailureLimiter failures;
    private final Sessions sessions;
    private final Duration window;

    /** @param window the limiter's window: how long a blocked address waits, said in Retry-After */
    public AdminGate(Directory directory, AuthFailureLimiter failures, Duration window, Sessions sessions) {
        this.directory = directory;
        this.failures = failures;
        this.window = window;
        this.sessions = sessions;
    }

    /** The operator's name for a route of this access (null for a public one), or an {@link ApiError}. */
    public String admit(Route.Access access, Exchange request) {
        if (access == Route.Access.PUBLIC) {
            return null;
        }
        if (failures.check(request.client()) instanceof Decision.Defer) {
            throw tooMany();
        }
        Optional<String> header = request.header("authorization");
        if (header.isEmpty()) {
            return bySession(request);
        }
        String value = header.get();
        if (value.length() > BEARER.length() && value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            Optional<String> name = directory.verifyToken(value.substring(BEARER.length()).strip())
                    .map(t -> "admin-token:" + t.name());
            if (name.isPresent()) {
                return name.get();
            }
        }
        if (failures.failed(request.client()) instanceof Decision.Defer) {
            throw tooMany();
        }
        throw unauthorized("the admin token is not valid, or was revoked");
    }

    /**
     * The name of the admin token presented at the dashboard's sign-in; a wrong one counts as a failure of the
     * client's address, as a wrong bearer token does (401, or 429 past the limit).
     */
    String verify(Exchange request, String token) {
        if (failures.check(request.client()) instanceof Decision.Defer) {
            throw tooMany();
        }
        Optional<String> name = token.isEmpty() ? Optional.empty()
                : directory.verifyToken(token).map(t -> "admin-token:" + t.name());
        if (name.isPresent()) {
            return name.get();
        }
        if (failures.failed(request.client()) instanceof Decision.Defer) {
            throw tooMany();
        }
        throw unauthorized("the admin token is not valid, or was revoked");
    }

    /*
     * A browser sends the session cookie with every request to this origin, so a page elsewhere could make it send
     * one with a change it did not mean (CSRF). SameSite=Strict keeps the cookie off requests other sites start;
     * beyond that, a session may change things only through the dashboard's own actions, each of which checks the
     * session's CSRF token from its form (see Dashboard.action). The JSON admin API takes changes only with a
     * bearer token, which no browser adds by itself: a cookie on its POST, PUT or DELETE is refused (403) rather
     * than checked, so no admin route can forget the check.
     */
    private String bySession(Exchange request) {
        Optional<String> who = sessions.principal(request);
        if (who.isEmpty()) {
            if (request.path().startsWith(Dashboard.PAGES) && isSafe(request.method())) {
                // a browser without a session is sent to the sign-in page
                throw new ApiError(303, "sign_in", "sign in first").with("Location", "/");
            }
            throw unauthorized("an admin token is needed"
                    + " (Authorization: Bearer TOKEN; petrel admin-token create NAME makes one)");
        }
        if (!isSafe(request.method()) && !request.path().startsWith(Dashboard.PAGES)) {
            throw new ApiError(403, "forbidden", "the admin API takes changes with Authorization: Bearer only,"
                    + " not with the dashboard's session");
        }
        return who.get();
    }

    private static boolean isSafe(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message).with("WWW-Authenticate", "Bearer realm=\"petrel\"");
    }

    ApiError tooMany() {
        return new ApiError(429, "too_many_failures", "too many failed sign-ins from this address; try again later")
                .with("Retry-After", Long.toString(window.toSeconds()));
    }
}
