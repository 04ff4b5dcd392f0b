package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.account.Directory;
import dev.petrel.mail.TenantId;
import dev.petrel.policy.AuthFailureLimiter;
import dev.petrel.tenant.ApiKey;
import dev.petrel.testing.HandClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may call what with an API key, and how wrong keys count against the client's address. */
class AccessGateTest {

    private static final String GOOD = "pk_abcdefgh_" + "G".repeat(43);
    private static final ApiKey KEY = new ApiKey("abcdefgh", new TenantId("acme"), "receipts", Instant.EPOCH);

    private final HandClock clock = new HandClock();
    private final AuthFailureLimiter failures = new AuthFailureLimiter(3, Duration.ofMinutes(15), clock);
    private final AccessGate gate = new AccessGate(new AdminGate((Directory) null, failures, Duration.ofMinutes(15),
            AdminGate.Sessions.NONE), presented -> presented.equals(GOOD) ? Optional.of(KEY) : Optional.empty(),
            failures);

    private static Exchange request(String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("authorization", authorization);
        return new Exchange("POST", "/v1/messages", Map.of(), Map.of(), headers, InetAddress.getLoopbackAddress(),
                new byte[0], null);
    }

    private ApiError refused(Route.Access access, String authorization) {
        return assertThrows(ApiError.class, () -> gate.admit(access, request(authorization)));
    }

    @Test
    void aKeyActsForItsTenantOnSendingAndTenantRoutes() {
        Caller sender = gate.admit(Route.Access.SENDER, request("Bearer " + GOOD));
        assertEquals(new Caller.Key(KEY), sender);
        assertEquals("apikey:abcdefgh", sender.name());
        assertEquals(new TenantId("acme"), gate.admit(Route.Access.TENANT, request("bearer " + GOOD)).tenant());
        assertNull(gate.admit(Route.Access.PUBLIC, request(null)));
    }

    @Test
    void aValidKeyOnTheAdminApiIsForbiddenAndCountsNoFailure() {
        for (int i = 0; i < 5; i++) {
            ApiError e = refused(Route.Access.ADMIN, "Bearer " + GOOD);
            assertEquals(403, e.status());
            assertEquals("forbidden", e.code());
        }
        assertEquals(new Caller.Key(KEY), gate.admit(Route.Access.SENDER, request("Bearer " + GOOD)));
    }

    @Test
    void withoutAKeySendingIs401AndSaysWhatItWants() {
        ApiError e = refused(Route.Access.SENDER, null);
        assertEquals(401, e.status());
        assertEquals("sending needs an API key (Authorization: Bearer pk_...; petrel key create TENANT makes one)",
                e.getMessage());
        assertEquals("Bearer realm=\"petrel\"", e.headers().get("WWW-Authenticate"));
        ApiError tenant = refused(Route.Access.TENANT, null);
        assertEquals("an API key is needed (Authorization: Bearer pk_...); an admin token acts for the tenant default",
                tenant.getMessage());
    }

    @Test
    void wrongKeysCountPerAddressAndPastTheLimitEvenTheRightOneIs429UntilTheWindowHasPassed() {
        assertEquals(401, refused(Route.Access.SENDER, "Bearer pk_wrongkey_" + "W".repeat(43)).status());
        assertEquals(401, refused(Route.Access.TENANT, "Bearer pk_short").status());
        ApiError third = refused(Route.Access.ADMIN, "Bearer pk_another_" + "W".repeat(43));
        assertEquals(429, third.status());
        assertEquals("900", third.headers().get("Retry-After"));
        assertEquals(429, refused(Route.Access.SENDER, "Bearer " + GOOD).status());
        clock.advance(Duration.ofMinutes(16));
        assertEquals(new Caller.Key(KEY), gate.admit(Route.Access.SENDER, request("Bearer " + GOOD)));
    }
}
