package dev.petrel.server;

import dev.petrel.mail.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listeners' metrics, counted where they happen: connections accepted and refused and sessions open, per
 * listener, and every SMTP reply sent, by code class and enhanced status. Counters are looked up once per kind
 * and kept, so a reply costs a map lookup and an add.
 */
final class ServerMeters {

    private final MeterRegistry registry;
    private final Map<Integer, Counter> replies = new ConcurrentHashMap<>();
    private final Map<String, Counter> statusReplies = new ConcurrentHashMap<>();

    /** One listener's counters and its gauge of sessions open. */
    static final class Listener {
        private final Counter accepted;
        private final Counter refused;
        private final AtomicInteger sessions = new AtomicInteger();

        private Listener(MeterRegistry registry, String name, String role) {
            accepted = connections(registry, name, role, "accepted");
            refused = connections(registry, name, role, "refused");
            Gauge.builder("petrel.smtp.sessions", sessions, AtomicInteger::get)
                    .description("SMTP sessions open now").tags("listener", name, "role", role).register(registry);
        }

        private static Counter connections(MeterRegistry registry, String name, String role, String result) {
            return Counter.builder("petrel.smtp.connections")
                    .description("Connections to a listener, accepted, or refused by the connection limits or for want"
                            + " of a valid PROXY protocol header")
                    .tags("listener", name, "role", role, "result", result).register(registry);
        }

        void refused() {
            refused.increment();
        }

        void opened() {
            accepted.increment();
            sessions.incrementAndGet();
        }

        void closed() {
            sessions.decrementAndGet();
        }
    }

    ServerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    Listener listener(String name, String role) {
        return new Listener(registry, name, role);
    }

    void replied(Reply reply) {
        Counter c = reply.status() == null
                ? replies.computeIfAbsent(reply.code() / 100, k -> counter(reply.code(), "none"))
                : statusReplies.computeIfAbsent(reply.status().toString(), k -> counter(reply.code(), k));
        c.increment();
    }

    private Counter counter(int code, String status) {
        return Counter.builder("petrel.smtp.replies")
                .description("SMTP replies sent, by code class and enhanced status")
                .tags("class", code / 100 + "xx", "status", status).register(registry);
    }
}
