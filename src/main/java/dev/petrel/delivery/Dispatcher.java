package dev.petrel.delivery;

import dev.petrel.bounce.Classifier;
import dev.petrel.bounce.DsnBuilder;
import dev.petrel.dns.Router;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.ClaimSource;
import dev.petrel.queue.Door;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.Scheduler;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Delivers what the scheduler says is due: one loop takes due messages and starts an {@link Attempt} of each, at
 * most {@code maxMessagesInFlight} at once and never two of one message. The attempt routes and sends; the
 * {@link OutcomeRecorder} writes what came of it.
 */
public final class Dispatcher implements AutoCloseable {

    private final QueueStore queue;
    private final Scheduler scheduler;
    private final Attempt attempt;
    private final Transport transport;
    private final Semaphore inFlight;
    private final int maxMessagesInFlight;
    private final Set<QueueId> attempting = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final SiteThrottle throttle;
    private final Parking parking;
    private volatile Thread loop;
    private volatile ClaimSource claims;

    /**
     * What delivery needs, and its limits.
     *
     * @param departures what each message's stream says of its delivery: egress, paused, sandbox
     * @param streamRefresh how often the streams of parked (paused) mail are looked at again
     */
    public record Parts(QueueStore queue, Scheduler scheduler, Door door, Router router, Transport transport,
                        LocalTransport local, DsnBuilder dsn, Classifier classifier, RetrySchedule retry,
                        SiteThrottle throttle, Address postmaster, Clock clock, RandomGenerator random,
                        int recipientsPerTransaction, int maxMessagesInFlight, Departures departures,
                        Duration streamRefresh, BounceAddresses bounces) {

        /** Without a bounce domain: senders are sent as queued. */
        public Parts(QueueStore queue, Scheduler scheduler, Door door, Router router, Transport transport,
                     LocalTransport local, DsnBuilder dsn, Classifier classifier, RetrySchedule retry,
                     SiteThrottle throttle, Address postmaster, Clock clock, RandomGenerator random,
                     int recipientsPerTransaction, int maxMessagesInFlight, Departures departures,
                     Duration streamRefresh) {
            this(queue, scheduler, door, router, transport, local, dsn, classifier, retry, throttle, postmaster,
                    clock, random, recipientsPerTransaction, maxMessagesInFlight, departures, streamRefresh, null);
        }

        /** Without streams: every message from the default egress. */
        public Parts(QueueStore queue, Scheduler scheduler, Door door, Router router, Transport transport,
                     LocalTransport local, DsnBuilder dsn, Classifier classifier, RetrySchedule retry,
                     SiteThrottle throttle, Address postmaster, Clock clock, RandomGenerator random,
                     int recipientsPerTransaction, int maxMessagesInFlight) {
            this(queue, scheduler, door, router, transport, local, dsn, classifier, retry, throttle, postmaster, clock,
                    random, recipientsPerTransaction, maxMessagesInFlight, Departures.DEFAULT, DEFAULT_STREAM_REFRESH);
        }
    }

    /** {@code [delivery] stream_refresh}'s default. */
    public static final Duration DEFAULT_STREAM_REFRESH = Duration.ofSeconds(2);

    public Dispatcher(Parts p) {
        this.queue = p.queue();
        this.scheduler = p.scheduler();
        this.transport = p.transport();
        this.clock = p.clock();
        this.throttle = p.throttle();
        this.inFlight = new Semaphore(p.maxMessagesInFlight());
        this.maxMessagesInFlight = p.maxMessagesInFlight();
        OutcomeRecorder recorder = new OutcomeRecorder(p.queue(), p.scheduler(), p.door(), p.dsn(), p.classifier(),
                p.retry(), p.clock(), p.postmaster(), p.bounces());
        this.parking = new Parking(p.departures(), p.scheduler(), p.clock(), p.streamRefresh());
        this.attempt = new Attempt(p.queue(), p.router(), p.transport(), p.local(), p.throttle(), recorder, p.retry(),
                p.clock(), p.random(), p.recipientsPerTransaction(), p.departures(), parking,
                p.bounces());
    }

    /** Messages of paused streams waiting off the schedule. */
    public int parked() {
        return parking.size();
    }

    /** Looks at the streams of parked mail now rather than at the next refresh; for tests. */
    public void checkParked() {
        parking.check();
    }

    /** The destination sites' throttle: their windows, backoffs and last replies, for the dashboard. */
    public SiteThrottle throttle() {
        return throttle;
    }

    /** Puts the queue on the schedule and starts delivering: every message, as one server of the journal does. */
    public void start() throws IOException {
        start(ClaimSource.everything(queue));
    }

    /** Starts delivering the mail {@code source} gives this node (on a queue shared by nodes, what it claims). */
    public void start(ClaimSource source) throws IOException {
        this.claims = source;
        source.start(scheduler);
        parking.start();
        loop = Thread.ofPlatform().name("petrel-delivery").daemon(true).start(this::run);
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (QueueId id : scheduler.awaitDue(64, Duration.ofSeconds(1))) {
                    dispatch(id);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Starts an attempt of a due message; false when one is running already. A message due again while its
     * attempt runs is left to that attempt, which decides what comes next: two at once would deliver twice.
     */
    boolean dispatch(QueueId id) throws InterruptedException {
        if (!attempting.add(id)) {
            return false;
        }
        inFlight.acquire();
        Thread.ofVirtual().name("attempt-" + id).start(() -> attempt.run(id).whenComplete((done, failure) -> {
            attempting.remove(id);
            inFlight.release();
        }));
        return true;
    }

    /** One attempt of one message, waiting until its outcomes are recorded; for tests that drive delivery. */
    public void attempt(QueueId id) {
        attempting.add(id);
        try {
            attempt.run(id).join();
        } finally {
            attempting.remove(id);
        }
    }

    /** {@code petrel queue flush}: every message due now; says how many there are, and the feed records it. */
    public int flush() {
        int messages = claims == null ? 0 : claims.flush();
        queue.append(new MailEvent.Flushed(clock.instant(), messages));
        return messages;
    }

    /**
     * A message let out of hold is due at its recorded next attempt: at once when it was held as it arrived, as
     * Postfix's {@code postsuper -H} hands it back to the queue manager.
     */
    public void released(QueueId id) throws IOException {
        Optional<StoredMessage> stored = queue.read(id);
        if (stored.isPresent() && !stored.get().message().held() && claims != null) {
            claims.released(id, stored.get().message().state().nextAttempt());
        }
    }

    /**
     * Stops starting attempts and waits up to {@code timeout} for those under way to finish and record their
     * outcome; then closes. True when none was still running. One cut off is tried again after a restart.
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            t.join(timeout.toMillis());
        }
        boolean idle = inFlight.tryAcquire(maxMessagesInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS);
        close();
        return idle;
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
        parking.close();
        ClaimSource source = claims;
        if (source != null) {
            // the mail of attempts still running stays this node's: another would deliver it a second time
            source.stop(Set.copyOf(attempting));
            claims = null;
        }
        if (transport instanceof AutoCloseable pooled) {
            try {
                pooled.close();
            } catch (Exception e) {
                // closing idle connections at shutdown; nothing is pending on them
            }
        }
    }
}
