package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Directory;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dashboard's sessions: their cookie, their end, their CSRF token, and what the gate lets a session do. */
class DashboardSessionsTest {

    private final HandClock clock = new HandClock();
    private final DashboardSessions sessions = new DashboardSessions(new SecureRandom(), clock, Duration.ofHours(12),
            false);

    private static Exchange request(String method, String path, String cookie) {
        Map<String, String> headers = cookie == null ? Map.of() : Map.of("cookie", cookie);
        return new Exchange(method, path, Map.of(), Map.of(), headers, InetAddress.getLoopbackAddress(), new byte[0],
                null);
    }

    private static String cookieOf(DashboardSessions.Session s) {
        return "other=1; " + DashboardSessions.COOKIE + "=" + s.id();
    }

    @Test
    void aSessionCookieIsHttpOnlySameSiteStrictForEveryPathAndSecureOnlyUnderTls() {
        DashboardSessions.Session s = sessions.open("admin-token:ops");
        String cookie = sessions.setCookie(s);
        assertTrue(cookie.startsWith("petrel_session=" + s.id() + "; "), cookie);
        for (String flag : new String[] {"Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"}) {
            assertTrue(cookie.contains("; " + flag), cookie);
        }
        assertFalse(cookie.contains("Secure"), cookie);
        DashboardSessions tls = new DashboardSessions(new SecureRandom(), clock, Duration.ofHours(12), true);
        assertTrue(tls.setCookie(tls.open("x")).endsWith("; Secure"));
        assertTrue(tls.clearCookie().contains("Max-Age=0"));
    }

    @Test
    void sessionIdsAndCsrfTokensAreLongRandomAndDifferent() {
        DashboardSessions.Session a = sessions.open("a");
        DashboardSessions.Session b = sessions.open("a");
        assertEquals(64, a.id().length());
        assertNotEquals(a.id(), b.id());
        assertNotEquals(a.id(), a.csrf());
        assertNotEquals(a.csrf(), b.csrf());
    }

    @Test
    void aSessionEndsAfterTwelveHoursWithoutARequestAndEachRequestRestartsThatTime() {
        DashboardSessions.Session s = sessions.open("admin-token:ops");
        clock.advance(Duration.ofHours(11));
        assertEquals(Optional.of("admin-token:ops"), sessions.principal(request("GET", "/dashboard", cookieOf(s))));
        clock.advance(Duration.ofHours(11));
        assertTrue(sessions.principal(request("GET", "/dashboard", cookieOf(s))).isPresent(), "used 11 h ago");
        clock.advance(Duration.ofHours(12));
        assertTrue(sessions.principal(request("GET", "/dashboard", cookieOf(s))).isEmpty(), "idle 12 h");
        assertEquals(0, sessions.live());
    }

    @Test
    void aClosedOrUnknownSessionIsNobody() {
        DashboardSessions.Session s = sessions.open("a");
        sessions.close(request("POST", "/logout", cookieOf(s)));
        assertTrue(sessions.principal(request("GET", "/dashboard", cookieOf(s))).isEmpty());
        assertTrue(sessions.principal(request("GET", "/dashboard", "petrel_session=deadbeef")).isEmpty());
        assertTrue(sessions.principal(request("GET", "/dashboard", "petrel_session=")).isEmpty());
        assertTrue(sessions.principal(request("GET", "/dashboard", null)).isEmpty());
    }

    @Test
    void onlyTheSessionsOwnCsrfTokenMatches() {
        DashboardSessions.Session a = sessions.open("a");
        DashboardSessions.Session b = sessions.open("b");
        assertTrue(DashboardSessions.csrfMatches(a, a.csrf()));
        assertFalse(DashboardSessions.csrfMatches(a, b.csrf()));
        assertFalse(DashboardSessions.csrfMatches(a, null));
        assertFalse(DashboardSessions.csrfMatches(a, ""));
        assertFalse(DashboardSessions.csrfMatches(a, a.csrf().substring(1)));
    }

    @Test
    void aSessionMayReadTheAdminApiButChangeThingsOnlyThroughTheDashboard() {
        AdminGate gate = new AdminGate((Directory) null, new AuthFailureLimiter(5, Duration.ofMinutes(5), clock),
                Duration.ofMinutes(5), sessions);
        String cookie = cookieOf(sessions.open("admin-token:ops"));
        assertEquals("admin-token:ops", gate.admit(Route.Access.ADMIN, request("GET", "/admin/v1/queue", cookie)));
        assertEquals("admin-token:ops", gate.admit(Route.Access.ADMIN,
                request("POST", "/dashboard/queue/X/release", cookie)));
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            ApiError refused = assertThrows(ApiError.class, () -> gate.admit(Route.Access.ADMIN,
                    request(method, "/admin/v1/queue/flush", cookie)));
            assertEquals(403, refused.status(), method);
        }
    }

    @Test
    void aBrowserWithoutASessionIsSentToSignInAndAnApiCallerIsToldItNeedsAToken() {
        AdminGate gate = new AdminGate((Directory) null, new AuthFailureLimiter(5, Duration.ofMinutes(5), clock),
                Duration.ofMinutes(5), sessions);
        ApiError page = assertThrows(ApiError.class, () -> gate.admit(Route.Access.ADMIN,
                request("GET", "/dashboard/queue", null)));
        assertEquals(303, page.status());
        assertEquals("/", page.headers().get("Location"));
        ApiError api = assertThrows(ApiError.class, () -> gate.admit(Route.Access.ADMIN,
                request("GET", "/admin/v1/queue", null)));
        assertEquals(401, api.status());
    }
}
