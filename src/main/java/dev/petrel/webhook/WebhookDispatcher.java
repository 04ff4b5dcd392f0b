package dev.petrel.webhook;

import dev.petrel.event.Cursors;
import dev.petrel.event.EventFeed;
import dev.petrel.event.EventJson;
import dev.petrel.event.FeedConsumer;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.TenantId;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Reads the event feed by its own cursor ({@value #CURSOR}) and owes each event to every enabled endpoint whose
 * filter accepts it: the deliveries are written to the store, and made durable there before the cursor is saved past
 * them (about once a second, not with every batch), so a crash loses none, and the feed never waits for an
 * endpoint. A scheduler hands each endpoint's due deliveries to its {@link Lane},
 * which POSTs them in parallel up to a bound; a failure is tried again with {@link Backoff} until the retry period
 * ends, then dropped and counted. An endpoint whose every attempt has failed for {@code disableAfter} (and at least
 * {@code disableMinFailures} attempts in a row) is disabled with that reason. Endpoints are re-read every
 * {@code refresh}, so what a command adds or removes shows within it. {@link #abandon Abandoned} (its lock lost to
 * another node), it stops without saving its cursor.
 */
public final class WebhookDispatcher implements FeedConsumer {

    /** The dispatcher's cursor in the feed. */
    public static final String CURSOR = "webhooks";

    private static final int READ_BATCH = 512;
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    // a trickle of events is gathered this long into one write of the store
    private static final long GATHER_MILLIS = 50;
    private static final long SAVE_EVERY_MILLIS = 1000;
    private static final long TICK_MILLIS = 200;

    /**
     * How deliveries are made.
     *
     * @param parallel attempts in flight per endpoint at most
     * @param timeout the time an attempt may take, from connecting to the status line
     * @param retryPeriod how long an event is tried, from when it was owed
     */
    public record Settings(int parallel, Duration timeout, Duration retryPeriod, Backoff backoff,
                           Duration disableAfter, int disableMinFailures, Duration refresh) {
        public static final Settings DEFAULT = new Settings(16, Duration.ofSeconds(10), Duration.ofDays(3),
                Backoff.DEFAULT, Duration.ofDays(1), 10, Duration.ofSeconds(2));
    }

    private final WebhookStore store;
    private final EventFeed feed;
    private final Cursors cursors;
    final Poster poster;
    final TargetCheck check;
    final Clock clock;
    final RandomGenerator random;
    final WebhookResults results;
    final Settings settings;
    private final Thread reader;
    private final Thread scheduler;
    private final Semaphore wake = new Semaphore(0);
    private final ConcurrentLinkedQueue<Delivery.Key> acknowledged = new ConcurrentLinkedQueue<>();
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private volatile List<Endpoint> endpoints = List.of();
    private volatile long endpointsRead;
    // the reader's: deliveries have been written since the store last put its writes on disk
    private boolean lazyWrites;
    private volatile boolean stopping;
    private volatile boolean abandoned;

    public WebhookDispatcher(WebhookStore store, EventFeed feed, Cursors cursors, Poster poster, TargetCheck check,
                             Clock clock, RandomGenerator random, WebhookResults results, Settings settings) {
        this.store = store;
        this.feed = feed;
        this.cursors = cursors;
        this.poster = poster;
        this.check = check;
        this.clock = clock;
        this.random = random;
        this.results = results;
        this.settings = settings;
        this.reader = Thread.ofPlatform().name("petrel-webhook-feed").daemon(true).unstarted(this::readFeed);
        this.scheduler = Thread.ofPlatform().name("petrel-webhooks").daemon(true).unstarted(this::schedule);
    }

    /** Deliveries a stopped process left in flight are due again; then reading and sending begin. */
    public WebhookDispatcher start() {
        store.releaseAll();
        refreshEndpoints();
        reader.start();
        scheduler.start();
        return this;
    }

    private List<Endpoint> currentEndpoints() {
        if (System.nanoTime() - endpointsRead >= settings.refresh().toNanos()) {
            refreshEndpoints();
        }
        return endpoints;
    }

    private void refreshEndpoints() {
        endpoints = store.endpoints();
        endpointsRead = System.nanoTime();
    }

    // ---------------------------------------------------------------- the feed

    private void readFeed() {
        long cursor = -1;
        long saved = -1;
        long lastSave = 0;
        while (!stopping) {
            try {
                if (cursor < 0) {
                    cursor = cursors.load(CURSOR);
                    saved = cursor;
                }
                List<EventFeed.Entry> batch = feed.read(cursor, READ_BATCH);
                if (batch.isEmpty()) {
                    if (cursor != saved) {
                        // all caught up: the cursor is saved at once rather than with the next batch
                        save(cursor);
                        saved = cursor;
                    }
                    feed.await(cursor, IDLE_WAIT);
                    continue;
                }
                handOver(owed(batch));
                cursor = batch.getLast().cursor();
                if (System.currentTimeMillis() - lastSave >= SAVE_EVERY_MILLIS) {
                    save(cursor);
                    saved = cursor;
                    lastSave = System.currentTimeMillis();
                }
                if (batch.size() < READ_BATCH) {
                    Thread.sleep(GATHER_MILLIS);
                }
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                // the feed or the store cannot be read or written now: try again shortly, nothing is skipped
                if (!pause()) {
                    break;
                }
            }
        }
        saveOnStop(cursor, saved);
    }

    /**
     * Saves the cursor once what is owed for the events before it is on disk: deliveries are written lazily, and
     * put on disk together here, about once a second, rather than with every batch.
     */
    private void save(long cursor) throws IOException {
        if (lazyWrites) {
            store.durable(cursor);
            lazyWrites = false;
        }
        cursors.save(CURSOR, cursor);
    }

    private void saveOnStop(long cursor, long saved) {
        if (cursor >= 0 && cursor != saved && !abandoned) {
            try {
                save(cursor);
            } catch (IOException | RuntimeException e) {
                // the next start reads these events again and owes nothing twice
            }
        }
    }

    /**
     * Writes what is owed, and hands to each endpoint's lane as much as it has room for; those are written as in
     * flight, the rest wait in the store for the scheduler.
     */
    private void handOver(List<Delivery> owed) {
        Map<String, List<Delivery>> byEndpoint = new HashMap<>();
        owed.forEach(d -> byEndpoint.computeIfAbsent(d.endpointId(), k -> new ArrayList<>()).add(d));
        Map<String, Endpoint> enabled = enabled();
        List<Delivery> handed = new ArrayList<>();
        List<Delivery> waiting = new ArrayList<>();
        Map<Lane, List<Delivery>> toLanes = new HashMap<>();
        byEndpoint.forEach((id, list) -> {
            Endpoint ep = enabled.get(id);
            Lane lane = ep == null || stopping ? null : lane(ep);
            int n = lane == null ? 0 : lane.reserve(list.size());
            if (n > 0) {
                toLanes.put(lane, list.subList(0, n));
                handed.addAll(list.subList(0, n));
            }
            waiting.addAll(list.subList(n, list.size()));
        });
        try {
            lazyWrites |= !owed.isEmpty();
            store.owe(handed, waiting);
        } catch (RuntimeException e) {
            toLanes.forEach((lane, list) -> lane.unreserve(list.size()));
            throw e;
        }
        toLanes.forEach(Lane::hand);
        if (!waiting.isEmpty()) {
            byEndpoint.keySet().forEach(id -> {
                Lane lane = lanes.get(id);
                if (lane != null) {
                    lane.waiting();
                }
            });
            wake.release();
        }
    }

    /** What the batch owes each endpoint; an event is rendered once, for all of them. */
    List<Delivery> owed(List<EventFeed.Entry> batch) {
        List<Endpoint> targets = currentEndpoints().stream().filter(Endpoint::enabled).toList();
        List<Delivery> out = new ArrayList<>();
        if (targets.isEmpty()) {
            return out;
        }
        Instant now = clock.instant();
        for (EventFeed.Entry e : batch) {
            String tenant = tenant(e.event());
            String type = EventJson.type(e.event());
            String body = null;
            for (Endpoint ep : targets) {
                if (ep.accepts(tenant, type)) {
                    body = body == null ? EventJson.render(e.cursor(), e.event()) : body;
                    out.add(new Delivery(ep.id(), e.cursor(), body, now, 0, now));
                }
            }
        }
        return out;
    }

    private static String tenant(MailEvent event) {
        String t = event instanceof MailEvent.InContext c ? c.context().tenant() : null;
        return t == null ? TenantId.DEFAULT.name() : t;
    }

    private boolean pause() {
        try {
            Thread.sleep(IDLE_WAIT);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- the scheduler

    private void schedule() {
        while (!stopping) {
            try {
                wake.tryAcquire(TICK_MILLIS, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                flushAcknowledged();
                fillLanes();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // the store cannot be reached now: the next tick tries again
                if (!pause()) {
                    break;
                }
            }
        }
    }

    private void fillLanes() {
        Map<String, Endpoint> enabled = enabled();
        lanes.entrySet().removeIf(l -> {
            boolean gone = !enabled.containsKey(l.getKey());
            if (gone) {
                l.getValue().stop();
            }
            return gone;
        });
        Instant now = clock.instant();
        for (Endpoint ep : enabled.values()) {
            lane(ep).fill(now);
        }
    }

    private Map<String, Endpoint> enabled() {
        Map<String, Endpoint> enabled = new HashMap<>();
        currentEndpoints().stream().filter(Endpoint::enabled).forEach(e -> enabled.put(e.id(), e));
        return enabled;
    }

    private Lane lane(Endpoint ep) {
        return lanes.computeIfAbsent(ep.id(), id -> new Lane(this, ep));
    }

    void flushAcknowledged() {
        List<Delivery.Key> done = new ArrayList<>();
        for (Delivery.Key k = acknowledged.poll(); k != null; k = acknowledged.poll()) {
            done.add(k);
        }
        store.acknowledge(done);
    }

    // ---------------------------------------------------------------- what lanes report

    void acknowledge(Delivery.Key key) {
        acknowledged.add(key);
    }

    void wake() {
        wake.release();
    }

    WebhookStore store() {
        return store;
    }

    /** Stops reading and sending, saving nothing: the node that takes the webhooks over sends what is left. */
    @Override
    public void abandon() {
        abandoned = true;
        close();
    }

    /** Stops reading and sending; deliveries in flight are tried again on the next start. */
    @Override
    public void close() {
        stopping = true;
        reader.interrupt();
        scheduler.interrupt();
        join(reader);
        join(scheduler);
        lanes.values().forEach(Lane::stop);
        lanes.clear();
        try {
            flushAcknowledged();
        } catch (RuntimeException e) {
            // the store is gone: those events are sent again after the restart
        }
    }

    private static void join(Thread t) {
        try {
            t.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
