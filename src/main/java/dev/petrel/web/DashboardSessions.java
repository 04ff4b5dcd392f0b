package dev.petrel.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The dashboard's signed-in sessions, kept in memory: a restart of the server signs everyone out. A session is a
 * random id in a cookie (HttpOnly, SameSite=Strict, Secure when the listener speaks TLS, Path=/), ends after
 * {@code idle} without a request, and carries its own CSRF token, which every dashboard action sends back in a
 * hidden form field.
 */
public final class DashboardSessions implements AdminGate.Sessions {

    static final String COOKIE = "petrel_session";
    /** The form field that carries the session's CSRF token. */
    static final String CSRF_FIELD = "csrf";
    private static final int ID_OCTETS = 32;
    private static final int MAX_SESSIONS = 10_000;

    /** One signed-in operator: who, the CSRF token of the session, and when it was last used. */
    record Session(String id, String principal, String csrf, Instant lastSeen) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final RandomGenerator random;
    private final Clock clock;
    private final Duration idle;
    private final boolean secure;

    /**
     * @param random a secure generator ({@code SecureRandom}): session ids and CSRF tokens are secrets
     * @param secure whether the listener speaks TLS, so the cookie is only ever sent over it
     */
    public DashboardSessions(RandomGenerator random, Clock clock, Duration idle, boolean secure) {
        this.random = random;
        this.clock = clock;
        this.idle = idle;
        this.secure = secure;
    }

    /** A new session for the operator who signed in with an admin token. */
    Session open(String principal) {
        forgetExpired();
        if (sessions.size() >= MAX_SESSIONS) {
            throw new ApiError(503, "too_many_sessions", "too many dashboard sessions; try again later");
        }
        Session s = new Session(secret(), principal, secret(), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    @Override
    public Optional<String> principal(Exchange request) {
        return session(request).map(Session::principal);
    }

    /** The request's live session, its idle time restarted; empty when it has none, or one that ended. */
    Optional<Session> session(Exchange request) {
        Optional<String> id = cookie(request.header("cookie").orElse(""));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session found = sessions.computeIfPresent(id.get(), (k, s) -> expired(s, now) ? null
                : new Session(s.id(), s.principal(), s.csrf(), now));
        return Optional.ofNullable(found);
    }

    /** Ends the request's session, if it has one. */
    void close(Exchange request) {
        cookie(request.header("cookie").orElse("")).ifPresent(sessions::remove);
    }

    /** Whether the token is this session's CSRF token, compared in constant time. */
    static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The Set-Cookie value that hands the session to the browser. */
    String setCookie(Session s) {
        return COOKIE + "=" + s.id() + "; Path=/; Max-Age=" + idle.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that makes the browser forget its session. */
    String clearCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** How many sessions are live now. */
    int live() {
        forgetExpired();
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return !s.lastSeen().plus(idle).isAfter(now);
    }

    private void forgetExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    private String secret() {
        byte[] octets = new byte[ID_OCTETS];
        random.nextBytes(octets);
        return HexFormat.of().formatHex(octets);
    }

    // RFC 6265 5.4: "name=value" pairs separated by "; "
    static Optional<String> cookie(String header) {
        for (String pair : header.split(";")) {
            String p = pair.strip();
            if (p.startsWith(COOKIE + "=")) {
                String value = p.substring(COOKIE.length() + 1);
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
