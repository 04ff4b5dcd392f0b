package dev.petrel.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook client (Jetty's) against a scripted HTTP/1.1 server on loopback that answers each request as told. */
class PosterTest {

    private final Poster poster = poster();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;

    /** A new client, connecting within 2 s. */
    private static Poster poster() {
        return new JettyPoster(Duration.ofSeconds(2), 4);
    }

    @AfterEach
    void close() throws Exception {
        ((AutoCloseable) poster).close();
        if (server != null) {
            server.close();
        }
    }

    /** Answers the n-th request (from 0) with what {@code answer} gives; null: say nothing. */
    private URI serve(Function<Integer, String> answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> handle(s, n, answer));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/in?x=1");
    }

    private void handle(Socket s, AtomicInteger n, Function<Integer, String> answer) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.append(line).append('\n');
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (head.isEmpty()) {
                    return;
                }
                char[] body = new char[length];
                in.read(body, 0, length);
                requests.add(head + new String(body));
                String reply = answer.apply(n.getAndIncrement());
                if (reply == null) {
                    Thread.sleep(5000);
                    return;
                }
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (reply.contains("Connection: close")) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    // generous, so that a loaded machine does not turn an answer into a timeout; the timeout test sets its own
    private int post(URI url) throws Exception {
        return post(url, Duration.ofSeconds(10));
    }

    private int post(URI url, Duration timeout) throws Exception {
        return poster.post(url, Map.of("webhook-id", "7"), "{\"id\":\"7\"}", timeout);
    }

    @Test
    void postsGoOnOneKeptAliveConnectionWithTheRequestLineHostAndHeaders() throws Exception {
        URI url = serve(i -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(url));
        }
        assertEquals(1, connections.get());
        String first = requests.getFirst();
        assertTrue(first.startsWith("POST /in?x=1 HTTP/1.1\n"), first);
        assertTrue(first.contains("Host: 127.0.0.1:" + url.getPort() + "\n"), first);
        assertTrue(first.contains("webhook-id: 7\n") && first.contains("Content-Type: application/json\n"), first);
        assertTrue(first.endsWith("{\"id\":\"7\"}"), first);
    }

    @Test
    void aChunkedAnswerIsReadToItsEndAndTheConnectionKept() throws Exception {
        URI url = serve(i -> "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertEquals(202, post(url));
        assertEquals(202, post(url));
        assertEquals(1, connections.get());
    }

    @Test
    void connectionCloseAndRedirectsAreAnsweredAsTheyCome() throws Exception {
        URI url = serve(i -> i == 0 ? "HTTP/1.1 302 Found\r\nLocation: http://elsewhere/\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n" : "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n");
        assertEquals(302, post(url), "a redirect is a status, not followed");
        assertEquals(503, post(url));
        assertEquals(2, connections.get());
        assertEquals(2, requests.size());
    }

    @Test
    void aLongAnswerBodyIsNotKeptAndItsStatusCounts() throws Exception {
        String body = "x".repeat(1 << 20);
        URI url = serve(i -> "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(200, post(url));
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsATimeout() throws Exception {
        URI url = serve(i -> null);
        assertThrows(HttpTimeoutException.class, () -> post(url, Duration.ofMillis(1500)));
    }

    @Test
    void aRefusedConnectionIsAnIoError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThrows(IOException.class, () -> post(URI.create("http://127.0.0.1:" + port + "/")));
    }
}
