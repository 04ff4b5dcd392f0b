package dev.petrel.webhook;

import dev.petrel.mail.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What an operator or a tenant does with webhook endpoints, for the command line and {@code /v1/webhooks} alike:
 * create (the secret is shown this once), list and show with their state (enabled or why not, failures in a row,
 * deliveries pending, events dropped), delete. Tenant methods see only the tenant's endpoints: another tenant's
 * endpoint is absent, as a missing one is.
 */
public final class WebhookOperations {

    /** An endpoint as shown: everything but its secret, and the deliveries it is owed now. */
    public record View(String id, String tenant, String url, List<String> events, boolean enabled,
                       String disabledReason, Instant created, int failures, Instant failingSince, String lastError,
                       long dropped, long pending) {

        static View of(Endpoint e, long pending) {
            return new View(e.id(), e.tenant(), e.url().toString(), e.events().stream().sorted().toList(), e.enabled(),
                    e.disabledReason(), e.created(), e.failures(), e.failingSince(), e.lastError(), e.dropped(), pending);
        }
    }

    /** A new endpoint and its signing secret, which is never shown again. */
    public record Created(View endpoint, String secret) {}

    private static final int ID_BYTES = 8;

    private final WebhookStore store;
    private final TargetCheck check;
    private final Clock clock;
    private final RandomGenerator secure;

    /** @param secure a secure generator ({@code SecureRandom}): it makes the secrets */
    public WebhookOperations(WebhookStore store, TargetCheck check, Clock clock, RandomGenerator secure) {
        this.store = store;
        this.check = check;
        this.clock = clock;
        this.secure = secure;
    }

    /**
     * Adds an endpoint for the tenant.
     *
     * @param events the event types it wants; empty for all
     * @throws TargetCheck.Refused when the URL may not be posted to
     * @throws IllegalArgumentException for an unknown event type
     */
    public Created create(TenantId tenant, String url, List<String> events) throws TargetCheck.Refused {
        Set<String> types = EventTypes.parse(events);
        URI target = check.check(url);
        byte[] id = new byte[ID_BYTES];
        secure.nextBytes(id);
        String secret = Signer.newSecret(secure);
        Endpoint endpoint = Endpoint.create("wh_" + HexFormat.of().formatHex(id), tenant.name(), target, types, secret,
                clock.instant());
        store.add(endpoint);
        return new Created(View.of(endpoint, 0), secret);
    }

    public List<View> list(TenantId tenant) {
        return views(store.endpoints(tenant));
    }

    /** Every tenant's endpoints: for the operator. */
    public List<View> listAll() {
        return views(store.endpoints());
    }

    public Optional<View> show(TenantId tenant, String id) {
        return store.endpoint(tenant, id).map(e -> View.of(e, store.pending().getOrDefault(e.id(), 0L)));
    }

    /** Any tenant's endpoint: for the operator. */
    public Optional<View> show(String id) {
        return store.endpoint(id).map(e -> View.of(e, store.pending().getOrDefault(e.id(), 0L)));
    }

    /** Deletes the tenant's endpoint and what it is owed; false when the tenant has none of that id. */
    public boolean delete(TenantId tenant, String id) {
        return store.remove(tenant, id);
    }

    /** Deletes any tenant's endpoint: for the operator. */
    public boolean delete(String id) {
        return store.endpoint(id).map(e -> store.remove(TenantId.parse(e.tenant()), id)).orElse(false);
    }

    private List<View> views(List<Endpoint> endpoints) {
        Map<String, Long> pending = store.pending();
        return endpoints.stream().map(e -> View.of(e, pending.getOrDefault(e.id(), 0L))).toList();
    }
}
