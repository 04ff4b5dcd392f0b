package dev.petrel.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointTest {

    private static Endpoint endpoint(Set<String> events) {
        return Endpoint.create("wh_1", "default", URI.create("https://hooks.example.com/"), events,
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Instant.EPOCH);
    }

    @Test
    void anEndpointWithoutAFilterTakesEveryTypeOfItsTenant() {
        Endpoint all = endpoint(Set.of());
        assertTrue(all.accepts("default", "message.queued"));
        assertTrue(all.accepts("default", "queue.flushed"));
        assertFalse(all.accepts("acme", "message.queued"), "another tenant's events never go to it");
        assertEquals("*", all.eventsLine());
    }

    @Test
    void aFilterLetsThroughOnlyTheTypesItNames() {
        Endpoint some = endpoint(EventTypes.parse(List.of("message.delivered", " message.bounced")));
        assertTrue(some.accepts("default", "message.delivered"));
        assertTrue(some.accepts("default", "message.bounced"));
        assertFalse(some.accepts("default", "message.queued"));
        assertEquals("message.bounced,message.delivered", some.eventsLine());
    }

    @Test
    void anUnknownEventTypeIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventTypes.parse(List.of("message.delivered", "message.lost")));
        assertTrue(e.getMessage().contains("message.lost"), e.getMessage());
    }

    @Test
    void theSecretIsNeverInTheEndpointsText() {
        assertFalse(endpoint(Set.of()).toString().contains("whsec_"));
    }
}
