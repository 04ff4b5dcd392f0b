package dev.petrel.delivery;

import dev.petrel.bounce.Action;
import dev.petrel.bounce.Diagnostic;
import dev.petrel.bounce.DsnBuilder;
import dev.petrel.bounce.OriginalMessage;
import dev.petrel.bounce.RecipientReport;
import dev.petrel.dns.Route;
import dev.petrel.dns.Router;
import dev.petrel.dns.Routing;
import dev.petrel.event.EventSink;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.Scheduler;
import dev.petrel.queue.StoredMessage;
import dev.petrel.smtp.client.RecipientOutcome;
import dev.petrel.smtp.client.Transaction;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Delivers what the scheduler says is due. For each message: the next attempt is written before the attempt,
 * recipients are grouped by domain and routed, each group goes to its site under the site's throttle, and every
 * outcome is recorded as it stands: delivered and failed recipients are finished (failures reported to the
 * sender in one DSN per attempt), deferred ones wait for the next attempt. Recipients in local domains go to
 * the {@link LocalTransport} in the same attempt, with the same outcomes.
 */
public final class DeliveryAgent implements AutoCloseable {

    // RFC 3463 X.4.7: Delivery time expired
    static final EnhancedStatus EXPIRED = new EnhancedStatus(4, 4, 7);

    private final QueueStore queue;
    private final Scheduler scheduler;
    private final Router router;
    private final Transport transport;
    private final LocalTransport local;
    private final DsnBuilder dsn;
    private final RetrySchedule retry;
    private final SiteThrottle throttle;
    private final EventSink events;
    private final Clock clock;
    private final RandomGenerator random;
    private final int recipientsPerTransaction;
    private final Semaphore inFlight;
    private final int maxMessagesInFlight;
    private final Set<QueueId> attempting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Thread loop;

    public DeliveryAgent(QueueStore queue, Scheduler scheduler, Router router, Transport transport, LocalTransport local,
                         DsnBuilder dsn, RetrySchedule retry, SiteThrottle throttle, EventSink events, Clock clock,
                         RandomGenerator random, int recipientsPerTransaction, int maxMessagesInFlight) {
        this.queue = queue;
        this.scheduler = scheduler;
        this.router = router;
        this.transport = transport;
        this.local = local;
        this.dsn = dsn;
        this.retry = retry;
        this.throttle = throttle;
        this.events = events;
        this.clock = clock;
        this.random = random;
        this.recipientsPerTransaction = recipientsPerTransaction;
        this.inFlight = new Semaphore(maxMessagesInFlight);
        this.maxMessagesInFlight = maxMessagesInFlight;
    }

    /** Puts the queue on the schedule and starts delivering. */
    public void start() throws IOException {
        scheduler.load(queue.list());
        loop = Thread.ofPlatform().name("petrel-delivery").daemon(true).start(this::run);
    }

    /** A newly queued message is due at once. */
    public void queued(QueueId id) {
        scheduler.schedule(id, clock.instant());
    }

    // a copy an alias queued: logged like any queued message (Postfix logs the new queue id too), then due
    private void forwarded(QueueId id) {
        try {
            queue.read(id).ifPresent(s -> {
                QueuedMessage m = s.message();
                events.publish(new MailEvent.Queued(m.arrival(), id, m.envelope().reversePath().toString(), m.size(),
                        m.envelope().recipients().size(), m.envelope().clientAddress(), null));
            });
        } catch (IOException e) {
            // the copy is queued either way; only its log line is missing
        }
        queued(id);
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
     * Starts an attempt of a due message on a thread of its own; false when one is running already. A message
     * scheduled again (a second "queued") while its attempt runs is left to that attempt, which decides what comes
     * next: two at once would deliver twice.
     */
    boolean dispatch(QueueId id) throws InterruptedException {
        if (!attempting.add(id)) {
            return false;
        }
        inFlight.acquire();
        Thread.ofVirtual().name("delivery-" + id).start(() -> {
            try {
                attempt(id);
            } finally {
                attempting.remove(id);
                inFlight.release();
            }
        });
        return true;
    }

    /** One delivery attempt of one message; public for tests that drive it step by step. */
    public void attempt(QueueId id) {
        try {
            Optional<StoredMessage> stored = queue.read(id);
            if (stored.isEmpty() || stored.get().message().held()) {
                return;
            }
            attemptStored(stored.get());
        } catch (IOException | RuntimeException e) {
            // the queue could not be read or written: try again later, nothing is lost
            scheduler.schedule(id, clock.instant().plus(retry.firstRetry()));
        }
    }

    private void attemptStored(StoredMessage stored) throws IOException {
        QueuedMessage m = stored.message();
        Instant now = clock.instant();
        List<QueuedMessage.Pending> pending = m.pending();
        if (pending.isEmpty()) {
            finishIfComplete(m.id(), m);
            return;
        }
        if (retry.expired(m.arrival(), now)) {
            expire(stored, pending, now);
            return;
        }
        int attempts = m.state().attempts() + 1;
        Instant next = nextAttempt(m, now, attempts);
        List<QueuedMessage.Pending> remote = new ArrayList<>();
        List<QueuedMessage.Pending> here = new ArrayList<>();
        for (QueuedMessage.Pending p : pending) {
            (local.handles(p.recipient().address()) ? here : remote).add(p);
        }
        if (!remote.isEmpty()) {
            // written before the attempt: a crash now does not bring the receiver an immediate retry; local
            // mailboxes have no receiver to spare, and a message for them is tried again at once after a crash
            queue.schedule(m.id(), next, attempts, m.state().lastError());
        }
        Results results = new Results();
        if (!here.isEmpty()) {
            deliverLocally(stored, here, results);
        }
        for (Map.Entry<Domain, List<QueuedMessage.Pending>> group : byDomain(remote).entrySet()) {
            deliverGroup(stored, group.getKey(), group.getValue(), results);
        }
        record(stored, results, now, next, attempts);
    }

    private Instant nextAttempt(QueuedMessage m, Instant now, int attempts) {
        Instant next = retry.nextAttempt(m.arrival(), now, attempts, random);
        return next != null ? next : retry.expiry(m.arrival());
    }

    private void deliverLocally(StoredMessage stored, List<QueuedMessage.Pending> here, Results results) {
        List<Recipient> rcpts = here.stream().map(QueuedMessage.Pending::recipient).toList();
        List<Transport.Delivery> outcomes = local.deliver(stored, rcpts, this::forwarded);
        for (int i = 0; i < here.size(); i++) {
            results.put(here.get(i), outcomes.get(i));
        }
    }

    private static Map<Domain, List<QueuedMessage.Pending>> byDomain(List<QueuedMessage.Pending> pending) {
        Map<Domain, List<QueuedMessage.Pending>> out = new LinkedHashMap<>();
        for (QueuedMessage.Pending p : pending) {
            out.computeIfAbsent(p.recipient().address().domain(), d -> new ArrayList<>()).add(p);
        }
        return out;
    }

    /** What one attempt decided, recipient by recipient (by envelope index). */
    private static final class Results {
        final Map<Integer, Transport.Delivery> byIndex = new LinkedHashMap<>();
        final Map<Integer, Recipient> recipients = new LinkedHashMap<>();
        Instant siteNotBefore;
        // recipients not tried because their site's message rate said "not yet": no outcome, no attempt
        Instant postponedUntil;

        void postpone(Instant until) {
            postponedUntil = postponedUntil == null || until.isBefore(postponedUntil) ? until : postponedUntil;
        }

        void put(QueuedMessage.Pending p, Transport.Delivery d) {
            byIndex.put(p.index(), d);
            recipients.put(p.index(), p.recipient());
        }
    }

    private void deliverGroup(StoredMessage stored, Domain domain, List<QueuedMessage.Pending> group, Results results) {
        Routing routing = router.route(domain);
        switch (routing) {
            case Routing.Failed f -> group.forEach(p -> results.put(p, none(new RecipientOutcome.Failed(p.recipient(), f.reply()))));
            case Routing.Deferred d -> group.forEach(p -> results.put(p, none(new RecipientOutcome.Deferred(p.recipient(), d.reply()))));
            case Routing.Routed r -> deliverRouted(stored, r.route(), group, results);
        }
    }

    private static Transport.Delivery none(RecipientOutcome outcome) {
        return new Transport.Delivery(outcome, "none");
    }

    private void deliverRouted(StoredMessage stored, Route route, List<QueuedMessage.Pending> group, Results results) {
        Instant notBefore = throttle.notBefore(route.site());
        if (notBefore != null) {
            Reply wait = Reply.of(451, new EnhancedStatus(4, 4, 1), "Site " + route.site().key() + " backed off until " + notBefore);
            group.forEach(p -> results.put(p, none(new RecipientOutcome.Deferred(p.recipient(), wait))));
            results.siteNotBefore = notBefore;
            return;
        }
        for (int from = 0; from < group.size(); from += recipientsPerTransaction) {
            List<QueuedMessage.Pending> chunk = group.subList(from, Math.min(group.size(), from + recipientsPerTransaction));
            Instant slot = throttle.reserve(route.site());
            if (slot != null) {
                results.postpone(slot);
                continue;
            }
            List<Recipient> rcpts = chunk.stream().map(QueuedMessage.Pending::recipient).toList();
            List<Transport.Delivery> outcomes = send(route, new Transaction(stored.message().envelope(), rcpts, stored.content()));
            for (int i = 0; i < chunk.size(); i++) {
                results.put(chunk.get(i), outcomes.get(i));
            }
            judgeSite(route, outcomes);
        }
    }

    private List<Transport.Delivery> send(Route route, Transaction transaction) {
        try {
            throttle.acquire(route.site());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Reply stop = Reply.of(421, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Delivery interrupted by shutdown");
            return transaction.recipients().stream().map(r -> none(new RecipientOutcome.Deferred(r, stop))).toList();
        }
        try {
            return transport.deliver(route, transaction);
        } finally {
            throttle.release(route.site());
        }
    }

    // a site that answered nobody (no connection, 421 at the door) is backed off as a whole
    private void judgeSite(Route route, List<Transport.Delivery> outcomes) {
        boolean anyAnswered = outcomes.stream().anyMatch(d -> !(d.outcome() instanceof RecipientOutcome.Deferred)
                || !d.relay().equals("none") && d.outcome().reply().code() != 421);
        if (anyAnswered) {
            throttle.succeeded(route.site());
        } else {
            throttle.failed(route.site());
        }
    }

    private void record(StoredMessage stored, Results results, Instant started, Instant next, int attempts)
            throws IOException {
        QueuedMessage m = stored.message();
        Set<Integer> finished = new HashSet<>();
        List<RecipientReport> failures = new ArrayList<>();
        List<RecipientReport> successes = new ArrayList<>();
        String lastError = null;
        for (Map.Entry<Integer, Transport.Delivery> e : results.byIndex.entrySet()) {
            Transport.Delivery d = e.getValue();
            Recipient recipient = results.recipients.get(e.getKey());
            Duration delay = Duration.between(m.arrival(), clock.instant());
            String to = recipient.address().toString();
            Reply reply = d.outcome().reply();
            String status = reply.status() == null ? defaultStatus(reply) : reply.status().toString();
            switch (d.outcome()) {
                case RecipientOutcome.Delivered x -> {
                    finished.add(e.getKey());
                    if (d.successNotice() != null) {
                        // RFC 3461 5.2.2: delivered here, expanded, or relayed to a server without DSN, so
                        // NOTIFY=SUCCESS is answered here
                        successes.add(RecipientReport.succeeded(recipient, d.successNotice(), statusOf(reply, 2),
                                hostOf(d.relay()), Diagnostic.smtp(reply), started));
                    }
                    events.publish(new MailEvent.Delivered(clock.instant(), m.id(), to, d.relay(), delay, status, reply.summary()));
                }
                case RecipientOutcome.Failed x -> {
                    finished.add(e.getKey());
                    failures.add(RecipientReport.failed(recipient, statusOf(reply, 5), hostOf(d.relay()),
                            Diagnostic.smtp(reply), started));
                    events.publish(new MailEvent.Bounced(clock.instant(), m.id(), to, d.relay(), delay, status, reply.summary()));
                }
                case RecipientOutcome.Deferred x -> {
                    lastError = reply.summary();
                    events.publish(new MailEvent.Deferred(clock.instant(), m.id(), to, d.relay(), delay, status, reply.summary()));
                }
            }
        }
        report(stored, failures);
        report(stored, successes);
        boolean deferred = lastError != null;
        if (completes(m, finished)) {
            // the last recipients are done: removing the message says so, one journal write instead of two,
            // and nothing waits for it to reach the disk (a crash before may only deliver again)
            scheduler.remove(m.id());
            queue.deleteDelivered(m.id());
            return;
        }
        if (!finished.isEmpty()) {
            queue.finish(m.id(), finished);
        }
        if (deferred && !m.state().delayNoticed() && retry.delayNoticeDue(m.arrival(), clock.instant())) {
            noticeDelay(stored, results, started, next);
        }
        if (deferred) {
            Instant at = results.siteNotBefore != null && results.siteNotBefore.isAfter(next) ? results.siteNotBefore : next;
            if (results.postponedUntil != null && results.postponedUntil.isBefore(at)) {
                at = results.postponedUntil;
            }
            queue.schedule(m.id(), at, attempts, lastError);
            scheduler.schedule(m.id(), at);
        } else if (results.postponedUntil != null) {
            // only the message rate held recipients back: back at their slot, and this was no attempt for them
            queue.schedule(m.id(), results.postponedUntil, m.state().attempts(), m.state().lastError());
            scheduler.schedule(m.id(), results.postponedUntil);
        } else {
            queue.read(m.id()).ifPresent(s -> finishIfCompleteQuietly(m.id(), s.message()));
        }
    }

    // RFC 3464 "delayed": told once, for the recipients still waiting, with the time retries end
    private void noticeDelay(StoredMessage stored, Results results, Instant started, Instant next) throws IOException {
        List<RecipientReport> delayed = new ArrayList<>();
        for (Map.Entry<Integer, Transport.Delivery> e : results.byIndex.entrySet()) {
            if (e.getValue().outcome() instanceof RecipientOutcome.Deferred d) {
                delayed.add(RecipientReport.delayed(results.recipients.get(e.getKey()), statusOf(d.reply(), 4),
                        hostOf(e.getValue().relay()), Diagnostic.smtp(d.reply()), started,
                        retry.expiry(stored.message().arrival())));
            }
        }
        report(stored, delayed);
        queue.noteDelayNotice(stored.message().id());
    }

    // one DSN per attempt and kind, covering its recipients that asked for one; none for a null sender (no loops)
    private static boolean completes(QueuedMessage m, Set<Integer> finishedNow) {
        Set<Integer> all = new HashSet<>(m.state().finished());
        all.addAll(finishedNow);
        return all.size() >= m.envelope().recipients().size();
    }

    private void report(StoredMessage stored, List<RecipientReport> reports) throws IOException {
        List<RecipientReport> wanted = DsnBuilder.wanted(reports);
        if (wanted.isEmpty()) {
            return;
        }
        Optional<QueueId> notice = dsn.enqueue(queue, OriginalMessage.of(stored), wanted);
        notice.ifPresent(this::queued);
    }

    private void expire(StoredMessage stored, List<QueuedMessage.Pending> pending, Instant now) throws IOException {
        QueuedMessage m = stored.message();
        Reply reply = Reply.of(421, EXPIRED, "Message expired after " + retry.lifetime().toDays() + " days in the queue"
                + (m.state().lastError() == null ? "" : "; last error: " + m.state().lastError()));
        List<RecipientReport> failures = new ArrayList<>();
        Set<Integer> finished = new HashSet<>();
        for (QueuedMessage.Pending p : pending) {
            finished.add(p.index());
            failures.add(RecipientReport.failed(p.recipient(), EXPIRED, null, Diagnostic.local(reply.lines().getFirst()), now));
            events.publish(new MailEvent.Expired(now, m.id(), p.recipient().address().toString(),
                    Duration.between(m.arrival(), now), EXPIRED.toString()));
        }
        report(stored, failures);
        queue.finish(m.id(), finished);
        queue.read(m.id()).ifPresent(s -> finishIfCompleteQuietly(m.id(), s.message()));
    }

    private void finishIfCompleteQuietly(QueueId id, QueuedMessage m) {
        try {
            finishIfComplete(id, m);
        } catch (IOException e) {
            scheduler.schedule(id, clock.instant().plus(retry.firstRetry()));
        }
    }

    private void finishIfComplete(QueueId id, QueuedMessage m) throws IOException {
        scheduler.remove(id);
        if (m.complete()) {
            queue.deleteDelivered(id);
        }
    }

    private static EnhancedStatus statusOf(Reply reply, int statusClass) {
        if (reply.status() != null && reply.status().statusClass() == statusClass) {
            return reply.status();
        }
        return new EnhancedStatus(statusClass, 0, 0);
    }

    private static String defaultStatus(Reply reply) {
        return reply.code() / 100 + ".0.0";
    }

    // "host[ip]:port" gives "host" for the DSN's Remote-MTA
    private static String hostOf(String relay) {
        if (relay == null || relay.equals("none")) {
            return null;
        }
        int bracket = relay.indexOf('[');
        return bracket > 0 ? relay.substring(0, bracket) : null;
    }

    /** `petrel queue flush`: everything due now. */
    public void flush() {
        scheduler.scheduleAllNow();
    }

    /**
     * A message let out of hold is due at its recorded next attempt: at once when it was held as it arrived, as
     * Postfix's {@code postsuper -H} hands it back to the queue manager.
     */
    public void released(QueueId id) throws IOException {
        Optional<StoredMessage> stored = queue.read(id);
        if (stored.isPresent() && !stored.get().message().held()) {
            scheduler.schedule(id, stored.get().message().state().nextAttempt());
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
        if (transport instanceof AutoCloseable pooled) {
            try {
                pooled.close();
            } catch (Exception e) {
                // closing idle connections at shutdown; nothing is pending on them
            }
        }
    }
}
