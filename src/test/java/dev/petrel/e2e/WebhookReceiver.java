package dev.petrel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's webhook receiver on loopback (the JDK's small HTTP server: a test fixture, not Petrel's listener).
 * {@code /hook} checks every request with the Standard Webhooks reference verifier and keeps the events it
 * acknowledged; it answers 503 to its first {@code failFirst} requests. {@code /redirect} answers 302 to
 * {@code /moved}, which counts what reaches it (nothing should: redirects are not followed).
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private volatile Webhook verifier;
    private final AtomicInteger failFirst;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failedOnPurpose = new AtomicInteger();
    final AtomicInteger redirected = new AtomicInteger();
    final AtomicInteger moved = new AtomicInteger();
    final List<String> badSignatures = new CopyOnWriteArrayList<>();
    /** Acknowledged events by their id; each id once, however often it came. */
    final Map<String, JsonNode> events = new ConcurrentHashMap<>();
    /** How many times each event id came (duplicates are allowed: at least once). */
    final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();

    WebhookReceiver(int failFirst) throws IOException {
        this.failFirst = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", this::hook);
        server.createContext("/redirect", e -> {
            redirected.incrementAndGet();
            e.getRequestBody().readAllBytes();
            e.getResponseHeaders().set("Location", "/moved");
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        server.createContext("/moved", e -> {
            moved.incrementAndGet();
            e.getRequestBody().readAllBytes();
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        server.start();
    }

    /** The endpoint's secret, once {@code petrel webhook add} has printed it. */
    void secret(String secret) {
        verifier = new Webhook(secret);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void hook(HttpExchange e) throws IOException {
        requests.incrementAndGet();
        String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        if (failFirst.getAndDecrement() > 0) {
            failedOnPurpose.incrementAndGet();
            status = 503;
        } else {
            status = verify(e, body) ? 200 : 400;
        }
        e.sendResponseHeaders(status, -1);
        e.close();
    }

    private boolean verify(HttpExchange e, String body) {
        // the JDK server capitalizes header names; the verifier looks them up in lower case
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        e.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        Map<String, List<String>> lower = new java.util.HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
        try {
            verifier.verify(body, lower);
            JsonNode event = JSON.readTree(body);
            String id = event.get("id").asText();
            if (!id.equals(lower.get("webhook-id").getFirst())) {
                badSignatures.add("webhook-id " + lower.get("webhook-id") + " is not the event's id " + id);
                return false;
            }
            events.putIfAbsent(id, event);
            arrivals.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return true;
        } catch (Exception x) {
            badSignatures.add(x + " for " + body);
            return false;
        }
    }

    /** The (type, message id) pairs received, as "message.queued ID". */
    Set<String> received() {
        Set<String> out = ConcurrentHashMap.newKeySet();
        events.values().forEach(ev -> out.add(ev.get("type").asText() + " " + ev.get("message_id").asText()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
