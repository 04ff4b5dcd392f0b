package dev.petrel.webhook;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One endpoint's deliveries on their way: a bounded buffer the scheduler fills with claimed deliveries and
 * {@code parallel} virtual threads that POST them, so a slow endpoint holds only its own threads and buffer.
 */
final class Lane {

    private final WebhookDispatcher dispatcher;
    private final Endpoint endpoint;
    private final Signer signer;
    private final BlockingQueue<Delivery> buffer;
    private final List<Thread> workers = new ArrayList<>();
    private int failures;
    private Instant failingSince;
    private volatile boolean stopped;

    Lane(WebhookDispatcher dispatcher, Endpoint endpoint) {
        this.dispatcher = dispatcher;
        this.endpoint = endpoint;
        this.signer = new Signer(endpoint.secret());
        this.failures = endpoint.failures();
        this.failingSince = endpoint.failingSince();
        int parallel = dispatcher.settings.parallel();
        this.buffer = new ArrayBlockingQueue<>(parallel * 4);
        for (int i = 0; i < parallel; i++) {
            workers.add(Thread.ofVirtual().name("petrel-webhook-" + endpoint.id() + "-" + i).start(this::work));
        }
    }

    int capacity() {
        return dispatcher.settings.parallel() * 4;
    }

    /** Free places in the buffer. */
    int room() {
        return buffer.remainingCapacity();
    }

    void offer(List<Delivery> claimed) {
        for (Delivery d : claimed) {
            if (!buffer.offer(d)) {
                // cannot happen (room was asked first); keep it due rather than lose it
                dispatcher.store().retry(d.key(), d.attempts(), d.nextAttempt(), null);
            }
        }
    }

    private void work() {
        while (!stopped) {
            Delivery d;
            try {
                d = buffer.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                attempt(d);
            } catch (RuntimeException e) {
                // the store failed: the delivery stays in flight until the next start makes it due again
            }
            if (buffer.size() < capacity() / 2) {
                dispatcher.wake();
            }
        }
    }

    private void attempt(Delivery d) {
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
