package dev.petrel.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a tenant's events go: a URL, the event types it wants (all when empty), and the secret its deliveries are
 * signed with. An endpoint that keeps failing is disabled, and says why.
 *
 * @param failures attempts failed in a row since the last success (0 when the last one succeeded)
 * @param failingSince when the first of those failed, null when none did
 * @param lastError what the last failed attempt met, null when none did
 * @param dropped events given up on after the retry period
 */
public record Endpoint(String id, String tenant, URI url, Set<String> events, String secret, boolean enabled,
                       String disabledReason, Instant created, int failures, Instant failingSince, String lastError,
                       long dropped) {

    public Endpoint {
        events = Set.copyOf(new TreeSet<>(events));
    }

    /** A new endpoint, enabled, with no failures yet. */
    public static Endpoint create(String id, String tenant, URI url, Set<String> events, String secret,
                                  Instant created) {
        return new Endpoint(id, tenant, url, events, secret, true, null, created, 0, null, null, 0);
    }

    /** Whether an event of this type, of this tenant, goes to this endpoint. */
    public boolean accepts(String eventTenant, String type) {
        return tenant.equals(eventTenant) && (events.isEmpty() || events.contains(type));
    }

    /** The filter as one comma-separated line, "*" for every type. */
    public String eventsLine() {
        return events.isEmpty() ? "*" : String.join(",", new TreeSet<>(events));
    }

    @Override
    public String toString() {
        // the secret stays out of logs and messages
        return "Endpoint[" + id + " " + tenant + " " + url + " " + eventsLine() + (enabled ? "" : " disabled") + "]";
    }
}
