package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.TemporaryFailure;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A store that cannot be reached is 503 with Retry-After, not the 500 of a fault; its cause stays in the log. */
class UnavailableTest {

    @Test
    void aTemporaryFailureIs503WithRetryAfterAndAFaultIs500() throws Exception {
        Router router = new Router()
                .get("/away", Route.Access.PUBLIC, x -> {
                    throw new TemporaryFailure("PostgreSQL store: Connection to 127.0.0.1:5432 refused");
                })
                .get("/broken", Route.Access.PUBLIC, x -> {
                    throw new IllegalStateException("a fault");
                });
        WebServer web = new WebServer(new WebServer.Settings("127.0.0.1", 0, null, 1 << 20), router,
                (access, exchange) -> null);
        InetSocketAddress at = web.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> away = get(client, at, "/away");
            assertEquals(503, away.statusCode(), away.body());
            assertEquals("10", away.headers().firstValue("Retry-After").orElse(""));
            assertTrue(away.body().contains("\"code\":\"unavailable\""), away.body());
            assertTrue(!away.body().contains("5432"), "what failed is not told to the caller: " + away.body());
            HttpResponse<String> broken = get(client, at, "/broken");
            assertEquals(500, broken.statusCode(), broken.body());
        } finally {
            web.close();
        }
    }

    private static HttpResponse<String> get(HttpClient client, InetSocketAddress at, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
