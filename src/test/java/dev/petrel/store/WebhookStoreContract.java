package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.TenantId;
import dev.petrel.webhook.Delivery;
import dev.petrel.webhook.Endpoint;
import dev.petrel.webhook.WebhookStore;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WebhookStore} does, whatever keeps it. */
abstract class WebhookStoreContract {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<Stores> opened = new ArrayList<>();
    private WebhookStore store;

    /** Stores on a database of the test's own; a second call opens the same database again. */
    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        Stores s = open();
        opened.add(s);
        store = s.webhooks();
    }

    @AfterEach
    final void closeStores() {
        opened.forEach(Stores::close);
    }

    private static Endpoint endpoint(String id, String tenant, Set<String> events) {
        return Endpoint.create(id, tenant, URI.create("https://hooks.example.com/" + id), events,
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", T0);
    }

    private static Delivery owed(String endpoint, long event) {
        return new Delivery(endpoint, event, "{\"id\":\"" + event + "\"}", T0, 0, T0);
    }

    @Test
    void anEndpointIsKeptWithItsSecretAndFilterAndSeenByAnotherHandle() throws Exception {
        store.add(endpoint("wh_a", "default", Set.of("message.delivered", "message.bounced")));
        Stores other = open();
        opened.add(other);
        Endpoint read = other.webhooks().endpoint(TenantId.DEFAULT, "wh_a").orElseThrow();
        assertEquals(Set.of("message.delivered", "message.bounced"), read.events());
        assertEquals("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", read.secret());
        assertEquals(URI.create("https://hooks.example.com/wh_a"), read.url());
        assertTrue(read.enabled());
        assertEquals(T0, read.created());
        assertEquals(0, read.failures());
        assertNull(read.failingSince());
    }

    @Test
    void aTenantSeesOnlyItsOwnEndpoints() {
        store.add(endpoint("wh_a", "default", Set.of()));
        store.add(endpoint("wh_b", "acme", Set.of()));
        assertEquals(List.of("wh_a"), store.endpoints(TenantId.DEFAULT).stream().map(Endpoint::id).toList());
        assertTrue(store.endpoint(TenantId.DEFAULT, "wh_b").isEmpty(), "a foreign endpoint is as absent as a missing one");
        assertFalse(store.remove(TenantId.DEFAULT, "wh_b"));
        assertTrue(store.endpoint("wh_b").isPresent());
        assertEquals(List.of("wh_a", "wh_b"), store.endpoints().stream().map(Endpoint::id).toList());
    }

    @Test
    void deliveriesAreOwedOncePerEndpointAndEventHoweverOftenWritten() {
        store.add(endpoint("wh_a", "default", Set.of()));
        store.owe(List.of(owed("wh_a", 1), owed("wh_a", 2)));
        store.owe(List.of(owed("wh_a", 2), owed("wh_a", 3)));
        assertEquals(Map.of("wh_a", 3L), store.pending());
    }

    // owe() commits lazily; durable() puts it on disk before the dispatcher saves its cursor (a power cut is not
    // simulated here: what is checked is that both are seen at once by another handle, and that the mark takes
    // the same or an older cursor again without failing)
    @Test
    void owedDeliveriesAreSeenAtOnceByAnotherHandleAndMadeDurableByCursor() throws Exception {
        store.add(endpoint("wh_a", "default", Set.of()));
        store.owe(List.of(owed("wh_a", 1), owed("wh_a", 2)));
        Stores other = open();
        opened.add(other);
        assertEquals(Map.of("wh_a", 2L), other.webhooks().pending());
        store.durable(2);
        store.durable(2);
        store.durable(1);
        store.owe(List.of(owed("wh_a", 3)));
        store.durable(3);
        assertEquals(Map.of("wh_a", 3L), other.webhooks().pending());
    }

    @Test
    void aClaimedDeliveryIsNotClaimedAgainUntilRetriedOrReleased() {
        store.add(endpoint("wh_a", "default", Set.of()));
        store.owe(List.of(owed("wh_a", 1), owed("wh_a", 2), owed("wh_a", 3)));
        List<Delivery> first = store.claim("wh_a", T0, 2);
        assertEquals(List.of(1L, 2L), first.stream().map(Delivery::eventId).toList());
        assertEquals(List.of(3L), store.claim("wh_a", T0, 10).stream().map(Delivery::eventId).toList());
        assertTrue(store.claim("wh_a", T0, 10).isEmpty());
        store.retry(first.getFirst().key(), 1, T0.plusSeconds(30), "HTTP status 500");
        assertTrue(store.claim("wh_a", T0.plusSeconds(29), 10).isEmpty(), "not due before its next attempt");
        Delivery again = store.claim("wh_a", T0.plusSeconds(30), 10).getFirst();
        assertEquals(1, again.attempts());
        assertEquals(1L, again.eventId());
        store.releaseAll();
        assertEquals(3, store.claim("wh_a", T0.plusSeconds(30), 10).size(), "a restart makes what was in flight due");
    }

    @Test
    void acknowledgedDeliveriesAreForgottenAndDroppedOnesCounted() {
        store.add(endpoint("wh_a", "default", Set.of()));
        store.owe(List.of(owed("wh_a", 1), owed("wh_a", 2), owed("wh_a", 3)));
        store.acknowledge(List.of(new Delivery.Key("wh_a", 1), new Delivery.Key("wh_a", 2)));
        store.drop(new Delivery.Key("wh_a", 3));
        assertEquals(Map.of(), store.pending());
        assertEquals(1, store.endpoint("wh_a").orElseThrow().dropped());
    }

    @Test
    void failuresCountInARowUntilASuccessAndADisabledEndpointSaysWhy() {
        store.add(endpoint("wh_a", "default", Set.of()));
        assertEquals(1, store.failed("wh_a", T0, "refused"));
        assertEquals(2, store.failed("wh_a", T0.plusSeconds(60), "HTTP status 503"));
        Endpoint failing = store.endpoint("wh_a").orElseThrow();
        assertEquals(T0, failing.failingSince());
        assertEquals("HTTP status 503", failing.lastError());
        store.succeeded("wh_a");
        assertEquals(0, store.endpoint("wh_a").orElseThrow().failures());
        store.disable("wh_a", "every attempt failed for a day");
        Endpoint off = store.endpoint("wh_a").orElseThrow();
        assertFalse(off.enabled());
        assertEquals("every attempt failed for a day", off.disabledReason());
    }

    @Test
    void removingAnEndpointRemovesWhatIsOwedToIt() {
        store.add(endpoint("wh_a", "default", Set.of()));
        store.add(endpoint("wh_b", "default", Set.of()));
        store.owe(List.of(owed("wh_a", 1), owed("wh_b", 1)));
        assertTrue(store.remove(TenantId.DEFAULT, "wh_a"));
        assertEquals(Map.of("wh_b", 1L), store.pending());
        assertTrue(store.endpoint("wh_a").isEmpty());
    }
}
