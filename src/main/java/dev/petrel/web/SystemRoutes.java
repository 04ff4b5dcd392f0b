package dev.petrel.web;

import dev.petrel.event.EventFeed;
import dev.petrel.event.EventJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The routes every Petrel has: {@code /healthz}, {@code /metrics} (Prometheus' text format), the OpenAPI
 * document of every route at {@code /v1/openapi.json}, and each tenant's events at {@code /v1/events}.
 */
final class SystemRoutes {

    /** What keeps the server from being healthy, as sentences; empty when nothing does. */
    @FunctionalInterface
    interface Health {
        List<String> problems();
    }

    static final String OPENAPI_RESOURCE = "/dev/petrel/web/openapi.json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final int MAX_EVENTS = 1000;

    private final EventFeed feed;
    private final Supplier<String> metrics;
    private final Health health;

    SystemRoutes(EventFeed feed, Supplier<String> metrics, Health health) {
        this.feed = feed;
        this.metrics = metrics;
        this.health = health;
    }

    void addTo(Router router) {
        router.get("/healthz", Route.Access.PUBLIC, x -> {
            List<String> problems = health.problems();
            return problems.isEmpty() ? Answer.ok(Map.of("status", "ok"))
                    : Answer.json(503, Map.of("status", "failing", "problems", problems));
        });
        router.get("/metrics", Route.Access.PUBLIC, x -> Answer.text(200, PROMETHEUS, metrics.get()));
        router.get("/v1/openapi.json", Route.Access.PUBLIC, x -> new Answer(200, Answer.JSON, openApi(), Map.of()));
        router.get("/v1/events", Route.Access.TENANT, this::events);
    }

    static byte[] openApi() throws IOException {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IOException("the jar has no " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        }
    }

    // the events after a cursor, oldest first, and the cursor to ask from next
    private Answer events(Exchange x) throws IOException {
        long after = x.query("after", SystemRoutes::cursor).orElse(0L);
        int limit = x.query("limit", text -> {
            int n = (int) cursor(text);
            if (n < 1 || n > MAX_EVENTS) {
                throw new IllegalArgumentException("expected 1 to " + MAX_EVENTS);
            }
            return n;
        }).orElse(100);
        TenantEvents.Page page = TenantEvents.read(feed, x.who().tenant(), after, limit);
        StringBuilder out = new StringBuilder("{\"events\":[");
        List<EventFeed.Entry> entries = page.entries();
        for (int i = 0; i < entries.size(); i++) {
            out.append(i == 0 ? "" : ",").append(EventJson.render(entries.get(i)));
        }
        out.append("],\"next\":\"").append(page.next()).append("\"}");
        return new Answer(200, Answer.JSON, out.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static long cursor(String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("expected a whole number, got \"" + text + "\"");
    }
}
