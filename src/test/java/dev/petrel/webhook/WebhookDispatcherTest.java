package dev.petrel.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.QueueId;
import dev.petrel.store.Stores;
import dev.petrel.testing.HandClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher on a real SQLite store, a feed in memory and a poster that answers as each test says. */
class WebhookDispatcherTest {

    @TempDir
    Path dataDir;

    private final HandClock clock = new HandClock();
    private final Feed feed = new Feed();
    private final List<Posted> posted = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> results = new ConcurrentHashMap<>();
    private Stores stores;
    private WebhookDispatcher dispatcher;

    record Posted(URI url, Map<String, String> headers, String body) {}

    @BeforeEach
    void open() throws Exception {
        stores = Stores.open(Stores.EMBEDDED, dataDir, List.of(), line -> {});
    }

    @AfterEach
    void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        stores.close();
    }

    private String add(String id, Set<String> events) {
        String secret = Signer.newSecret(new SplittableRandom(id.hashCode()));
        stores.webhooks().add(Endpoint.create(id, "default", URI.create("http://127.0.0.1/" + id), events, secret,
                clock.instant()));
        return secret;
    }

    private void start(Poster poster, WebhookDispatcher.Settings settings) {
        dispatcher = new WebhookDispatcher(stores.webhooks(), feed, feed, poster, new TargetCheck(true, h -> List.of()),
                clock, new SplittableRandom(1), r -> results.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet(),
                settings).start();
    }

    private static WebhookDispatcher.Settings settings(Duration retryPeriod, Duration disableAfter, int minFailures) {
        return new WebhookDispatcher.Settings(4, Duration.ofSeconds(10), retryPeriod,
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)), disableAfter, minFailures,
                Duration.ofMillis(100));
    }

    private Poster recording(int status) {
        return (url, headers, body, timeout) -> {
            posted.add(new Posted(url, headers, body));
            return status;
        };
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private long to(String id) {
        return posted.stream().filter(p -> p.url().getPath().equals("/" + id)).count();
    }

    @Test
    void eachEventIsPostedSignedToEveryEndpointWhoseFilterTakesIt() throws Exception {
        String allSecret = add("wh_all", Set.of());
        add("wh_delivered", Set.of("message.delivered"));
        feed.queuedAndDelivered(5);
        start(recording(204), settings(Duration.ofDays(3), Duration.ofDays(1), 10));
        await("15 posts", () -> posted.size() == 15);
        assertEquals(10, to("wh_all"));
        assertEquals(5, to("wh_delivered"));
        Webhook verifier = new Webhook(allSecret);
        for (Posted p : posted) {
            if (p.url().getPath().equals("/wh_all")) {
                Map<String, List<String>> h = Map.of("webhook-id", List.of(p.headers().get("webhook-id")),
                        "webhook-timestamp", List.of(p.headers().get("webhook-timestamp")),
                        "webhook-signature", List.of(p.headers().get("webhook-signature")));
                // the reference verifier wants a timestamp near its own clock: the hand clock is not
                assertEquals(clock.instant().getEpochSecond(), Long.parseLong(p.headers().get("webhook-timestamp")));
                assertEquals(verifier.sign(p.headers().get("webhook-id"), clock.instant().getEpochSecond(), p.body()),
                        p.headers().get("webhook-signature"));
                assertTrue(p.body().contains("\"id\":\"" + p.headers().get("webhook-id") + "\""), p.body());
            }
        }
        await("acknowledgements written", () -> stores.webhooks().pending().isEmpty());
        assertEquals(15, results.get(WebhookResults.DELIVERED).get());
        assertTrue(feed.saved.get() >= 10 || feed.cursor() == 10);
    }

    @Test
    void aFailedAttemptIsTriedAgainAfterItsBackoffUntilA2xxAcknowledgesIt() throws Exception {
        add("wh_flaky", Set.of());
        feed.queuedAndDelivered(1);
        AtomicInteger calls = new AtomicInteger();
        start((url, headers, body, timeout) -> {
            posted.add(new Posted(url, headers, body));
            return calls.incrementAndGet() <= 3 ? 503 : 200;
        }, settings(Duration.ofDays(3), Duration.ofDays(1), 10));
        await("first attempts", () -> posted.size() == 2);
        Thread.sleep(500);
        assertEquals(2, posted.size(), "nothing is tried again before its backoff");
        assertEquals(1, stores.webhooks().endpoint("wh_flaky").orElseThrow().failures() >= 1 ? 1 : 0);
        await("the retries", () -> {
            clock.advance(Duration.ofMinutes(2));
            return stores.webhooks().pending().isEmpty();
        });
        assertEquals(3, results.get(WebhookResults.FAILED).get());
        assertEquals(2, results.get(WebhookResults.DELIVERED).get());
        await("failures reset", () -> stores.webhooks().endpoint("wh_flaky").orElseThrow().failures() == 0);
    }

    @Test
    void aStuckEndpointDoesNotHoldBackAnotherNorTheFeed() throws Exception {
        add("wh_stuck", Set.of());
        add("wh_fine", Set.of());
        CountDownLatch release = new CountDownLatch(1);
        feed.queuedAndDelivered(300);
        start((url, headers, body, timeout) -> {
            if (url.getPath().equals("/wh_stuck")) {
                release.await();
            }
            posted.add(new Posted(url, headers, body));
            return 200;
        }, settings(Duration.ofDays(3), Duration.ofDays(1), 10));
        await("600 events to the endpoint that answers", () -> to("wh_fine") == 600);
        await("the feed read to its end", () -> feed.saved.get() == 600);
        assertEquals(0, to("wh_stuck"));
        assertEquals(600L, stores.webhooks().pending().get("wh_stuck"), "what the stuck one is owed waits in the store");
        release.countDown();
        await("the stuck one catches up", () -> to("wh_stuck") == 600);
    }

    @Test
    void anEventIsDroppedAfterTheRetryPeriodAndAnEndpointThatKeepsFailingIsDisabled() throws Exception {
        add("wh_down", Set.of());
        feed.queuedAndDelivered(1);
        start(recording(500), settings(Duration.ofMinutes(30), Duration.ofMinutes(40), 4));
        await("first attempts", () -> posted.size() == 2);
        for (int i = 0; i < 40 && stores.webhooks().endpoint("wh_down").orElseThrow().enabled(); i++) {
            clock.advance(Duration.ofMinutes(5));
            Thread.sleep(300);
        }
        await("dropped", () -> stores.webhooks().pending().isEmpty());
        assertEquals(2, results.get(WebhookResults.DROPPED).get());
        assertEquals(2, stores.webhooks().endpoint("wh_down").orElseThrow().dropped());
        feed.queuedAndDelivered(1);
        clock.advance(Duration.ofMinutes(20));
        await("disabled", () -> !stores.webhooks().endpoint("wh_down").orElseThrow().enabled());
        Endpoint off = stores.webhooks().endpoint("wh_down").orElseThrow();
        assertTrue(off.disabledReason().contains("HTTP status 500"), off.disabledReason());
        int before = posted.size();
        feed.queuedAndDelivered(1);
        clock.advance(Duration.ofHours(1));
        Thread.sleep(600);
        assertFalse(posted.size() > before + 1, "a disabled endpoint gets nothing more");
    }

    /** A feed and cursors in memory. */
    static final class Feed implements EventFeed, Cursors {
        private final List<Entry> entries = new CopyOnWriteArrayList<>();
        final AtomicInteger saved = new AtomicInteger();

        synchronized void queuedAndDelivered(int messages) {
            for (int i = 0; i < messages; i++) {
                QueueId id = new QueueId(String.format("BCDF%08d", entries.size()));
                Instant t = Instant.parse("2026-11-28T12:00:00Z");
                entries.add(new Entry(entries.size() + 1, new MailEvent.Queued(t, id, "a@example.com", 100, 1,
                        "127.0.0.1", null)));
                entries.add(new Entry(entries.size() + 1, new MailEvent.Delivered(t, id, "b@example.net", "local",
                        Duration.ZERO, "2.0.0", "250 ok")));
            }
        }

        long cursor() {
            return saved.get();
        }

        @Override
        public List<Entry> read(long after, int max) {
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries) {
                if (e.cursor() > after && out.size() < max) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public long last() {
            return entries.size();
        }

        @Override
        public boolean await(long cursor, Duration timeout) throws InterruptedException {
            Thread.sleep(20);
            return last() > cursor;
        }

        @Override
        public void append(MailEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long load(String reader) {
            return saved.get();
        }

        @Override
        public void save(String reader, long cursor) {
            saved.set((int) cursor);
        }
    }
}
