package dev.petrel.delivery;

import dev.petrel.bounce.Classifier;
import dev.petrel.bounce.Diagnostic;
import dev.petrel.bounce.DsnBuilder;
import dev.petrel.bounce.OriginalMessage;
import dev.petrel.bounce.RecipientReport;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.SendContext;
import dev.petrel.queue.Change;
import dev.petrel.queue.Door;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.Scheduler;
import dev.petrel.queue.StoredMessage;
import dev.petrel.mail.RecipientOutcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records what an attempt decided: the DSNs its failures and notices call for (queued through the {@link Door}
 * first, so a crash repeats a notice rather than losing it), then every recipient's new state and its event in
 * one write to the queue, then the message's place on the schedule. A notification that fails goes to the
 * postmaster (Postfix's 2bounce notice); one to the postmaster that fails is only logged.
 */
final class OutcomeRecorder {

    // RFC 3463 X.4.7: Delivery time expired
    static final EnhancedStatus EXPIRED = new EnhancedStatus(4, 4, 7);

    private final QueueStore queue;
    private final Scheduler scheduler;
    private final Door door;
    private final DsnBuilder dsn;
    private final Classifier classifier;
    private final RetrySchedule retry;
    private final Clock clock;
    private final Address postmaster;
    private final BounceAddresses bounces;

    /** @param postmaster where failed notifications are reported (null: nowhere, they are only logged) */
    OutcomeRecorder(QueueStore queue, Scheduler scheduler, Door door, DsnBuilder dsn, Classifier classifier,
                    RetrySchedule retry, Clock clock, Address postmaster, BounceAddresses bounces) {
        this.bounces = bounces;
        this.queue = queue;
        this.scheduler = scheduler;
        this.door = door;
        this.dsn = dsn;
        this.classifier = classifier;
        this.retry = retry;
        this.clock = clock;
        this.postmaster = postmaster;
    }

    /** The next attempt, written before this one. */
    // a tenant's mail sent from its bounce address: its failures are events (message.bounced), not notices
    private boolean tenantVerp(StoredMessage stored) {
        return bounces != null && stored.message().envelope().reversePath().mailbox()
                .flatMap(bounces::verify).isPresent();
    }

    void beforeAttempt(QueuedMessage m, Instant next, int attempts) throws IOException {
        queue.apply(m.id(), Change.of(new Change.Schedule(next, attempts, m.state().lastError())));
    }

    /** Nothing was tried (every site backed off or at its rate): due again then, and no attempt was counted. */
    void postponed(QueuedMessage m, Instant until) throws IOException {
        reschedule(m.id(), until, new Change.Builder()
                .step(new Change.Schedule(until, m.state().attempts(), m.state().lastError())));
    }

    /** The queue could not be read or written: the message is due again after the first retry interval. */
    void retryLater(QueueId id) {
        scheduler.schedule(id, clock.instant().plus(retry.firstRetry()));
    }

    void recordQuietly(StoredMessage stored, Results results, Instant started, Instant next, int attempts) {
        try {
            record(stored, results, started, next, attempts);
        } catch (IOException | RuntimeException e) {
            // not written: the message is tried again, and what was delivered may be delivered again (at least once)
            retryLater(stored.message().id());
        }
    }

    void record(StoredMessage stored, Results results, Instant started, Instant next, int attempts) throws IOException {
        QueuedMessage m = stored.message();
        Set<Integer> finished = new HashSet<>();
        List<RecipientReport> failures = new ArrayList<>();
        List<RecipientReport> successes = new ArrayList<>();
        Change.Builder change = new Change.Builder();
        String lastError = null;
        for (Map.Entry<Integer, Transport.Delivery> e : results.byIndex.entrySet()) {
            Transport.Delivery d = e.getValue();
            Recipient recipient = results.recipients.get(e.getKey());
            Reply reply = d.outcome().reply();
            change.event(event(m, recipient, d));
            switch (d.outcome()) {
                case RecipientOutcome.Delivered x -> {
                    finished.add(e.getKey());
                    if (d.successNotice() != null) {
                        // RFC 3461 5.2.2: delivered here, expanded, or relayed to a server without DSN, so
                        // NOTIFY=SUCCESS is answered here
                        successes.add(RecipientReport.succeeded(recipient, d.successNotice(), statusOf(reply, 2),
                                hostOf(d.relay()), Diagnostic.smtp(reply), started));
                    }
                }
                case RecipientOutcome.Failed x -> {
                    finished.add(e.getKey());
                    failures.add(RecipientReport.failed(recipient, statusOf(reply, 5), hostOf(d.relay()),
                            Diagnostic.smtp(reply), started));
                }
                case RecipientOutcome.Deferred x -> lastError = reply.summary();
            }
        }
        reportFailures(stored, failures);
        report(stored, successes);
        if (completes(m, finished)) {
            // the last recipients are done: removing the message says so, in one write with their events; nothing
            // waits for it to reach the disk unless a failure was reported (a crash would report it again)
            scheduler.remove(m.id());
            queue.apply(m.id(), change.step(new Change.Remove(!failures.isEmpty())).build());
            return;
        }
        if (!finished.isEmpty()) {
            change.step(new Change.Finish(finished));
        }
        Instant postponed = results.postponedUntil();
        if (lastError != null) {
            if (!m.state().delayNoticed() && retry.delayNoticeDue(m.arrival(), clock.instant())) {
                noticeDelay(stored, results, started);
                change.step(new Change.Noticed());
            }
            Instant at = postponed != null && postponed.isBefore(next) ? postponed : next;
            reschedule(m.id(), at, change.step(new Change.Schedule(at, attempts, lastError)));
        } else if (postponed != null) {
            // only backoffs and rates held recipients back: back at their time, and this was no attempt for them
            reschedule(m.id(), postponed, change.step(new Change.Schedule(postponed, m.state().attempts(),
                    m.state().lastError())));
        } else {
            scheduler.remove(m.id());
            queue.apply(m.id(), change.build());
        }
    }

    // the one way a message goes back on the schedule: its new state and events written, then its time set
    private void reschedule(QueueId id, Instant at, Change.Builder change) throws IOException {
        queue.apply(id, change.build());
        scheduler.schedule(id, at);
    }

    private MailEvent event(QueuedMessage m, Recipient recipient, Transport.Delivery d) {
        Instant now = clock.instant();
        Duration delay = Duration.between(m.arrival(), now);
        String to = recipient.address().toString();
        Reply reply = d.outcome().reply();
        String status = reply.status() == null ? reply.code() / 100 + ".0.0" : reply.status().toString();
        SendContext context = m.context();
        return switch (d.outcome()) {
            case RecipientOutcome.Delivered x -> new MailEvent.Delivered(now, m.id(), to, d.relay(), delay, status,
                    reply.summary(), context);
            case RecipientOutcome.Failed x -> new MailEvent.Bounced(now, m.id(), to, d.relay(), delay, status,
                    reply.summary(), classifier.classify(reply), context);
            case RecipientOutcome.Deferred x -> new MailEvent.Deferred(now, m.id(), to, d.relay(), delay, status,
                    reply.summary(), classifier.classify(reply), context);
        };
    }

    // RFC 3464 "delayed": told once, for the recipients still waiting, with the time retries end
    private void noticeDelay(StoredMessage stored, Results results, Instant started) throws IOException {
        List<RecipientReport> delayed = new ArrayList<>();
        for (Map.Entry<Integer, Transport.Delivery> e : results.byIndex.entrySet()) {
            if (e.getValue().outcome() instanceof RecipientOutcome.Deferred d) {
                delayed.add(RecipientReport.delayed(results.recipients.get(e.getKey()), statusOf(d.reply(), 4),
                        hostOf(e.getValue().relay()), Diagnostic.smtp(d.reply()), started,
                        retry.expiry(stored.message().arrival())));
            }
        }
        report(stored, delayed);
    }

    private static boolean completes(QueuedMessage m, Set<Integer> finishedNow) {
        Set<Integer> all = new HashSet<>(m.state().finished());
        all.addAll(finishedNow);
        return all.size() >= m.envelope().recipients().size();
    }

    // one DSN per attempt and kind, covering its recipients that asked for one; none for a null sender (no loops)
    private void report(StoredMessage stored, List<RecipientReport> reports) throws IOException {
        if (!DsnBuilder.wanted(reports).isEmpty() && !tenantVerp(stored)) {
            dsn.enqueue(door, OriginalMessage.of(stored), reports);
        }
    }

    // failures of a notification go to the postmaster, unless it was the postmaster's own notice that failed
    private void reportFailures(StoredMessage stored, List<RecipientReport> failures) throws IOException {
        if (failures.isEmpty()) {
            return;
        }
        if (!stored.message().envelope().reversePath().isNull()) {
            report(stored, failures);
            return;
        }
        List<RecipientReport> toPostmaster = failures.stream()
                .filter(r -> postmaster != null && !r.recipient().address().equals(postmaster)).toList();
        if (!toPostmaster.isEmpty()) {
            dsn.enqueueDoubleBounce(door, OriginalMessage.of(stored), toPostmaster, postmaster);
        }
    }

    void expire(StoredMessage stored, List<QueuedMessage.Pending> pending, Instant now) throws IOException {
        QueuedMessage m = stored.message();
        Reply reply = Reply.of(421, EXPIRED, "Message expired after " + retry.lifetime().toDays() + " days in the queue"
                + (m.state().lastError() == null ? "" : "; last error: " + m.state().lastError()));
        List<RecipientReport> failures = new ArrayList<>();
        Set<Integer> finished = new HashSet<>();
        Change.Builder change = new Change.Builder();
        for (QueuedMessage.Pending p : pending) {
            finished.add(p.index());
            failures.add(RecipientReport.failed(p.recipient(), EXPIRED, null, Diagnostic.local(reply.lines().getFirst()), now));
            change.event(new MailEvent.Expired(now, m.id(), p.recipient().address().toString(),
                    Duration.between(m.arrival(), now), EXPIRED.toString(), m.context()));
        }
        reportFailures(stored, failures);
        scheduler.remove(m.id());
        queue.apply(m.id(), change.step(new Change.Finish(finished)).step(new Change.Remove(true)).build());
    }

    void finishIfComplete(QueuedMessage m) throws IOException {
        scheduler.remove(m.id());
        if (m.complete()) {
            queue.apply(m.id(), Change.of(new Change.Remove(false)));
        }
    }

    private static EnhancedStatus statusOf(Reply reply, int statusClass) {
        if (reply.status() != null && reply.status().statusClass() == statusClass) {
            return reply.status();
        }
        return new EnhancedStatus(statusClass, 0, 0);
    }

    // "host[ip]:port" gives "host" for the DSN's Remote-MTA
    private static String hostOf(String relay) {
        if (relay == null || relay.equals("none")) {
            return null;
        }
        int bracket = relay.indexOf('[');
        return bracket > 0 ? relay.substring(0, bracket) : null;
    }
}
