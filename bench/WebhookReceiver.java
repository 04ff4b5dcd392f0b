import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/relay's webhook receiver: answers every POST with 200 and counts the posts and the message.delivered
 * events among them, writing "posts delivered" to COUNT_FILE twice a second. It does not check signatures (the
 * tests do, with the reference verifier): here it only has to be cheap. Run: java bench/WebhookReceiver.java
 * PORT COUNT_FILE
 */
public class WebhookReceiver {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path countFile = Path.of(args[1]);
        AtomicLong posts = new AtomicLong();
        AtomicLong delivered = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", e -> {
            byte[] body = e.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            if (new String(body, StandardCharsets.UTF_8).contains("\"type\":\"message.delivered\"")) {
                delivered.incrementAndGet();
            }
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        server.start();
        while (true) {
            Files.writeString(countFile, posts.get() + " " + delivered.get() + "\n");
            Thread.sleep(500);
        }
    }
}
