package dev.petrel.webhook;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One endpoint's deliveries on their way: those the feed's reader hands over as it writes them, and those the
 * scheduler claims from the store when they are due again, at most {@code capacity} at a time, POSTed by
 * {@code parallel} virtual threads. A slow endpoint holds only its own threads and buffer; what does not fit waits
 * in the store.
 */
final class Lane {

    // how often the store is asked for due deliveries when nothing says there are any (a restart, a lost race)
    private static final long POLL_NANOS = Duration.ofSeconds(5).toNanos();

    private final WebhookDispatcher dispatcher;
    private final Endpoint endpoint;
    private final int capacity;
    private final AtomicInteger load = new AtomicInteger();
    private final LinkedBlockingQueue<Delivery> buffer = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    // the store holds deliveries of this endpoint not in flight: written past the capacity, or due again
    private final AtomicBoolean waiting = new AtomicBoolean(true);
    private volatile Instant nextDue = Instant.MIN;
    private volatile long polled;
    private int failures;
    private Instant failingSince;
    private volatile boolean stopped;

    Lane(WebhookDispatcher dispatcher, Endpoint endpoint) {
        this.dispatcher = dispatcher;
        this.endpoint = endpoint;
        this.failures = endpoint.failures();
        this.failingSince = endpoint.failingSince();
        int parallel = dispatcher.settings.parallel();
        this.capacity = parallel * 32;
        for (int i = 0; i < parallel; i++) {
            workers.add(Thread.ofVirtual().name("petrel-webhook-" + endpoint.id() + "-" + i).start(this::work));
        }
    }

    /** Takes up to {@code n} more deliveries if there is room; returns how many it took. */
    int reserve(int n) {
        while (true) {
            int now = load.get();
            int take = Math.min(n, capacity - now);
            if (take <= 0) {
                return 0;
            }
            if (load.compareAndSet(now, now + take)) {
                return take;
            }
        }
    }

    /** Gives back places reserved for deliveries that were not written after all. */
    void unreserve(int n) {
        load.addAndGet(-n);
    }

    /** Deliveries reserved with {@link #reserve}, written to the store as in flight. */
    void hand(List<Delivery> deliveries) {
        buffer.addAll(deliveries);
    }

    /** The store holds deliveries of this endpoint that are not in flight. */
    void waiting() {
        waiting.set(true);
    }

    /** Claims what is due from the store if anything may be, as far as there is room. */
    void fill(Instant now) {
        boolean poll = System.nanoTime() - polled >= POLL_NANOS;
        if (!(waiting.get() || !now.isBefore(nextDue) || poll) || stopped) {
            return;
        }
        int room = reserve(capacity);
        if (room < capacity / 4) {
            load.addAndGet(-room);
            return;
        }
        // cleared before the look: a delivery written after it sets it again
        waiting.set(false);
        nextDue = Instant.MAX;
        polled = System.nanoTime();
        List<Delivery> claimed;
        try {
            claimed = dispatcher.store().claim(endpoint.id(), now, room);
        } catch (RuntimeException e) {
            load.addAndGet(-room);
            waiting.set(true);
            throw e;
        }
        load.addAndGet(claimed.size() - room);
        if (claimed.size() == room) {
            waiting.set(true);
        }
        hand(claimed);
    }

    private void work() {
        Signer signer = new Signer(endpoint.secret());
        while (!stopped) {
            Delivery d;
            try {
                d = buffer.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                attempt(d, signer);
            } catch (RuntimeException e) {
                // the store failed: the delivery stays in flight until the next start makes it due again
            } finally {
                load.decrementAndGet();
            }
            if (waiting.get() && load.get() < capacity / 2) {
                dispatcher.wake();
            }
        }
    }

    private void attempt(Delivery d, Signer signer) {
        Instant now = dispatcher.clock.instant();
        String error;
        try {
            dispatcher.check.check(endpoint.url());
            long timestamp = now.getEpochSecond();
            String id = Long.toString(d.eventId());
            int status = dispatcher.poster.post(endpoint.url(), Map.of("webhook-id", id,
                    "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", signer.sign(id, timestamp, d.body())), d.body(), dispatcher.settings.timeout());
            if (status >= 200 && status < 300) {
                succeeded(d);
                return;
            }
            error = "HTTP status " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
        } catch (TargetCheck.Refused e) {
            dispatcher.results.delivered(WebhookResults.REFUSED);
            error = "refused: " + e.getMessage();
        } catch (HttpTimeoutException e) {
            error = "no answer within " + dispatcher.settings.timeout().toSeconds() + " s";
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            // stopping: it stays in flight, and is due again on the next start
            Thread.currentThread().interrupt();
            return;
        }
        failed(d, dispatcher.clock.instant(), error);
    }

    private void succeeded(Delivery d) {
        dispatcher.acknowledge(d.key());
        dispatcher.results.delivered(WebhookResults.DELIVERED);
        synchronized (this) {
            if (failures == 0) {
                return;
            }
            failures = 0;
            failingSince = null;
        }
        dispatcher.store().succeeded(endpoint.id());
    }

    private void failed(Delivery d, Instant now, String error) {
        WebhookStore store = dispatcher.store();
        int attempts = d.attempts() + 1;
        Instant next = now.plus(dispatcher.settings.backoff().delay(attempts, dispatcher.random));
        if (next.isAfter(d.created().plus(dispatcher.settings.retryPeriod()))) {
            store.drop(d.key());
            dispatcher.results.delivered(WebhookResults.DROPPED);
        } else {
            store.retry(d.key(), attempts, next, error);
            dispatcher.results.delivered(WebhookResults.FAILED);
            synchronized (this) {
                nextDue = next.isBefore(nextDue) ? next : nextDue;
            }
        }
        int inARow = store.failed(endpoint.id(), now, error);
        boolean disable;
        synchronized (this) {
            failures = inARow;
            failingSince = failingSince == null ? now : failingSince;
            disable = failures >= dispatcher.settings.disableMinFailures()
                    && !failingSince.plus(dispatcher.settings.disableAfter()).isAfter(now);
        }
        if (disable && !stopped) {
            store.disable(endpoint.id(), "every attempt failed since " + failingSince + " (" + inARow
                    + " in a row); last: " + error);
            stop();
        }
    }

    /** Stops the workers; what the buffer held is due again at once. */
    void stop() {
        stopped = true;
        workers.forEach(Thread::interrupt);
        List<Delivery> left = new ArrayList<>();
        buffer.drainTo(left);
        for (Delivery d : left) {
            try {
                dispatcher.store().retry(d.key(), d.attempts(), d.nextAttempt(), null);
            } catch (RuntimeException e) {
                // the store is gone: the next start makes them due again
            }
        }
    }

}
