package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.EventJson;
import dev.petrel.event.MailEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL under load with a webhook receiver attached: after each restart, every event of every acknowledged
 * message (its queued event, and whatever else the feed held at the kill) reaches the receiver at least once,
 * each post passing the reference verifier.
 */
class WebhookCrashTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final int ROUNDS = 2;
    private static final int CLIENTS = 10;
    private static final Duration LOAD = Duration.ofMillis(2000);
    private static final int SIGKILL_STATUS = 128 + 9;

    private ServerProcess server;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void sigkillUnderLoadLosesNoWebhookOfAnAcknowledgedMessage() throws Exception {
        PetrelHome home = WebhooksTest.home(scratch, "webhook-crash");
        home.addUser(LoadClient.RECIPIENT, "recipient-secret");
        receiver = new WebhookReceiver(0);
        receiver.secret(WebhooksTest.add(home, receiver.url("/hook"))[1]);
        LoadClient.Book book = new LoadClient.Book();
        List<String> report = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            server = home.start();
            loadAndKill(book, round);
            // what the feed held at the kill, read as the next start will
            Set<String> inFeed = new TreeSet<>();
            for (MailEvent e : FeedCheck.read(home.queueDir()).events) {
                if (e instanceof MailEvent.OfMessage m) {
                    inFeed.add(EventJson.type(e) + " " + m.id().value());
                }
            }
            server = home.start();
            Set<String> queued = new TreeSet<>();
            book.acknowledged.keySet().forEach(id -> queued.add("message.queued " + id));
            Set<String> expected = new TreeSet<>(inFeed);
            expected.addAll(queued);
            Poll.until(Duration.ofSeconds(120), expected.size() + " events at the receiver", () -> {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(receiver.received());
                return missing.isEmpty() ? true : null;
            });
            report.add(String.format("round %d: %d acknowledged in total, %d events expected, %d posts received,"
                    + " %d distinct events", round, book.acknowledged.size(), expected.size(), receiver.requests.get(),
                    receiver.events.size()));
            assertTrue(receiver.badSignatures.isEmpty(), receiver.badSignatures.toString());
            if (round < ROUNDS) {
                server.killHard();
            }
        }
        server.stop();
        report.forEach(line -> System.out.println("webhook crash test: " + line));
    }

    private void loadAndKill(LoadClient.Book book, int round) throws Exception {
        book.killed.set(false);
        book.stop.set(false);
        InetSocketAddress mx = new InetSocketAddress("127.0.0.1", server.port("mx"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            LoadClient client = new LoadClient(mx, book, round, 200, deadline, round * 1000L + i);
            clients.add(Thread.ofPlatform().name("webhook-load-" + round + "-" + i).daemon(true).start(client));
        }
        int before = book.acknowledged.size();
        long started = System.nanoTime();
        Poll.until(Duration.ofSeconds(30), "load", () ->
                book.acknowledged.size() - before >= 20 && System.nanoTime() - started >= LOAD.toNanos() ? true : null);
        book.killed.set(true);
        assertEquals(SIGKILL_STATUS, server.killHard(), "the server was not ended by SIGKILL");
        book.stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(30));
        }
        assertTrue(book.unexpected.isEmpty(), "the server misbehaved before the kill: " + book.unexpected);
    }
}
