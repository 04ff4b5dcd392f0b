package dev.petrel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ServerMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServerMeters meters = new ServerMeters(registry);

    private double replies(String codeClass, String status) {
        return registry.get("petrel.smtp.replies").tag("class", codeClass).tag("status", status).counter().count();
    }

    @Test
    void repliesAreCountedByCodeClassAndEnhancedStatus() {
        meters.replied(Reply.plain(220, "mx.test ESMTP"));
        meters.replied(Reply.of(250, new EnhancedStatus(2, 1, 5), "Ok"));
        meters.replied(Reply.of(250, new EnhancedStatus(2, 1, 5), "Ok"));
        meters.replied(Reply.of(550, new EnhancedStatus(5, 1, 1), "No such user"));
        assertEquals(1, replies("2xx", "none"), "a greeting has no enhanced status");
        assertEquals(2, replies("2xx", "2.1.5"));
        assertEquals(1, replies("5xx", "5.1.1"));
    }

    @Test
    void aListenerCountsConnectionsAndTheSessionsOpenNow() {
        ServerMeters.Listener mx = meters.listener("127.0.0.1:2525", "mx");
        mx.opened();
        mx.opened();
        mx.refused();
        mx.closed();
        assertEquals(2, registry.get("petrel.smtp.connections").tag("listener", "127.0.0.1:2525")
                .tag("result", "accepted").counter().count());
        assertEquals(1, registry.get("petrel.smtp.connections").tag("result", "refused").counter().count());
        assertEquals(1, registry.get("petrel.smtp.sessions").tag("role", "mx").gauge().value());
    }
}
