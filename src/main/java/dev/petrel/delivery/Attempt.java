package dev.petrel.delivery;

import dev.petrel.dns.Route;
import dev.petrel.dns.Router;
import dev.petrel.dns.Routing;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.queue.QueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.StoredMessage;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Transaction;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * One delivery attempt of one message: what its stream says first (paused: parked; sandbox: reported delivered,
 * nothing sent), then its recipients grouped by domain and routed, local ones delivered here, each remote group's
 * transactions handed to the {@link ReadyQueue} of its site and its stream's egress, and when all are done, the
 * outcomes handed to the {@link OutcomeRecorder}. A site that is backed off, or whose message rate says "not
 * yet", is not tried: its recipients are postponed, which is no attempt.
 */
final class Attempt {

    private final QueueStore queue;
    private final Router router;
    private final Transport transport;
    private final LocalTransport local;
    private final SiteThrottle throttle;
    private final ReadyQueue ready;
    private final OutcomeRecorder recorder;
    private final RetrySchedule retry;
    private final Clock clock;
    private final RandomGenerator random;
    private final int recipientsPerTransaction;
    private final Departures departures;
    private final Parking parking;
    private final BounceAddresses bounces;

    // RFC 3463 X.0.0: the sandbox answers as a receiver that took the message would
    static final Reply SANDBOX = Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "sandbox: not sent");

    Attempt(QueueStore queue, Router router, Transport transport, LocalTransport local, SiteThrottle throttle,
            OutcomeRecorder recorder, RetrySchedule retry, Clock clock, RandomGenerator random,
            int recipientsPerTransaction, Departures departures, Parking parking,
            BounceAddresses bounces) {
        this.bounces = bounces;
        this.departures = departures;
        this.parking = parking;
        this.queue = queue;
        this.router = router;
        this.transport = transport;
        this.local = local;
        this.throttle = throttle;
        this.ready = new ReadyQueue(throttle);
        this.recorder = recorder;
        this.retry = retry;
        this.clock = clock;
        this.random = random;
        this.recipientsPerTransaction = recipientsPerTransaction;
    }

    /** Attempts the message; the future completes once its outcomes are recorded. */
    CompletableFuture<Void> run(QueueId id) {
        try {
            // on a queue nodes share, a message another node claimed since is left to it
            Optional<StoredMessage> stored = queue.readOwned(id);
            if (stored.isEmpty() || stored.get().message().held()) {
                return CompletableFuture.completedFuture(null);
            }
            return attempt(stored.get());
        } catch (IOException | RuntimeException e) {
            // the queue could not be read or written: try again later, nothing is lost
            recorder.retryLater(id);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<Void> attempt(StoredMessage stored) throws IOException {
        QueuedMessage m = stored.message();
        Instant now = clock.instant();
        List<QueuedMessage.Pending> pending = m.pending();
        if (pending.isEmpty()) {
            recorder.finishIfComplete(m);
            return CompletableFuture.completedFuture(null);
        }
        Departure departure = departures.of(m.context());
        if (departure instanceof Departure.Paused) {
            // before expiry: a paused stream's mail waits, and does not expire while it does
            parking.park(m);
            return CompletableFuture.completedFuture(null);
        }
        if (retry.expired(m.arrival(), now)) {
            recorder.expire(stored, pending, now);
            return CompletableFuture.completedFuture(null);
        }
        if (departure instanceof Departure.Sandbox) {
            return sandbox(stored, pending, now);
        }
        return deliver(stored, departure, pending, now);
    }

    // local recipients here, remote ones to their sites from the stream's egress; outcomes recorded when all are in
    private CompletableFuture<Void> deliver(StoredMessage stored, Departure departure,
                                            List<QueuedMessage.Pending> pending, Instant now) throws IOException {
        QueuedMessage m = stored.message();
        List<QueuedMessage.Pending> remote = new ArrayList<>();
        List<QueuedMessage.Pending> here = new ArrayList<>();
        for (QueuedMessage.Pending p : pending) {
            (local.handles(p.recipient().address()) ? here : remote).add(p);
        }
        Results results = new Results();
        List<Group> groups = route(m, departure, remote, results, now);
        if (here.isEmpty() && groups.isEmpty() && results.byIndex.isEmpty()) {
            // every site is backed off or at its rate: nothing was tried, so this was no attempt
            recorder.postponed(m, results.postponedUntil());
            return CompletableFuture.completedFuture(null);
        }
        int attempts = m.state().attempts() + 1;
        Instant next = nextAttempt(m, now, attempts);
        if (!remote.isEmpty()) {
            // written before the attempt: a crash now does not bring the receiver an immediate retry; local
            // mailboxes have no receiver to spare, and a message for them is tried again at once after a crash
            recorder.beforeAttempt(m, next, attempts);
        }
        if (!here.isEmpty()) {
            deliverLocally(stored, here, results);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            // the last transaction may run on this thread, when its site has room now; the others on their own
            sent.add(send(stored, groups.get(i), results, i == groups.size() - 1));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenRun(() -> recorder.recordQuietly(stored, results, now, next, attempts));
    }

    // a sandbox stream's mail goes nowhere, local mailboxes included: each recipient is reported delivered (no
    // notice of success goes out either), and the message leaves the queue
    private CompletableFuture<Void> sandbox(StoredMessage stored, List<QueuedMessage.Pending> pending, Instant now) {
        Results results = new Results();
        for (QueuedMessage.Pending p : pending) {
            results.put(p, new Transport.Delivery(new RecipientOutcome.Delivered(p.recipient(), SANDBOX), "sandbox",
                    true));
        }
        int attempts = stored.message().state().attempts() + 1;
        recorder.recordQuietly(stored, results, now, now, attempts);
        return CompletableFuture.completedFuture(null);
    }

    private Instant nextAttempt(QueuedMessage m, Instant now, int attempts) {
        Instant next = retry.nextAttempt(m.arrival(), now, attempts, random);
        return next != null ? next : retry.expiry(m.arrival());
    }

    private void deliverLocally(StoredMessage stored, List<QueuedMessage.Pending> here, Results results) {
        List<Recipient> rcpts = here.stream().map(QueuedMessage.Pending::recipient).toList();
        List<Transport.Delivery> outcomes = local.deliver(stored, rcpts);
        for (int i = 0; i < here.size(); i++) {
            results.put(here.get(i), outcomes.get(i));
        }
    }

    /** Recipients of one domain in one transaction to its site, from one egress. */
    private record Group(Route route, Egress egress, List<QueuedMessage.Pending> recipients) {
        Lane lane() {
            return new Lane(egress.name(), route.site());
        }
    }

    // routing failures are outcomes of this attempt; a backed-off site or one at its rate is postponed
    private List<Group> route(QueuedMessage m, Departure departure, List<QueuedMessage.Pending> remote,
                              Results results, Instant now) {
        List<Group> groups = new ArrayList<>();
        if (departure instanceof Departure.Stuck stuck) {
            remote.forEach(p -> results.put(p, none(new RecipientOutcome.Deferred(p.recipient(), stuck.reply()))));
            return groups;
        }
        Egress egress = departure instanceof Departure.Send send ? send.egress() : Egress.DEFAULT;
        for (Map.Entry<Domain, List<QueuedMessage.Pending>> e : byDomain(remote).entrySet()) {
            List<QueuedMessage.Pending> group = e.getValue();
            switch (router.route(e.getKey())) {
                case Routing.Failed f -> group.forEach(p -> results.put(p, none(new RecipientOutcome.Failed(p.recipient(), f.reply()))));
                case Routing.Deferred d -> group.forEach(p -> results.put(p, none(new RecipientOutcome.Deferred(p.recipient(), d.reply()))));
                case Routing.Routed r -> groups.addAll(transactions(m, new Group(r.route(), egress, group), results, now));
            }
        }
        return groups;
    }

    private List<Group> transactions(QueuedMessage m, Group all, Results results, Instant now) {
        Lane lane = all.lane();
        List<QueuedMessage.Pending> group = all.recipients();
        Instant backedOff = throttle.notBefore(lane);
        if (backedOff != null) {
            // not before the site may be tried, and never later than the attempt already planned (a flush during
            // a backoff neither counts as an attempt nor moves the next one)
            Instant planned = m.state().nextAttempt();
            results.postpone(planned.isAfter(now) && planned.isBefore(backedOff) ? planned : backedOff);
            return List.of();
        }
        List<Group> out = new ArrayList<>();
        int per = verp(m).isPresent() ? 1 : recipientsPerTransaction;
        for (int from = 0; from < group.size(); from += per) {
            Instant slot = throttle.reserve(lane);
            if (slot != null) {
                results.postpone(slot);
                continue;
            }
            out.add(new Group(all.route(), all.egress(),
                    group.subList(from, Math.min(group.size(), from + per))));
        }
        return out;
    }

    private CompletableFuture<Void> send(StoredMessage stored, Group g, Results results, boolean here) {
        List<Recipient> rcpts = g.recipients().stream().map(QueuedMessage.Pending::recipient).toList();
        Transaction transaction = new Transaction(envelope(stored.message(), g), rcpts, stored.content());
        return ready.submit(g.lane(), () -> {
            List<Transport.Delivery> outcomes = transport.deliver(g.route(), g.egress(), transaction);
            judgeSite(g.lane(), outcomes);
            return outcomes;
        }, here).handle((outcomes, failure) -> {
            for (int i = 0; i < rcpts.size(); i++) {
                results.put(g.recipients().get(i), outcomes != null ? outcomes.get(i) : none(new RecipientOutcome.Deferred(
                        rcpts.get(i), Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Delivery failed here: " + failure))));
            }
            return null;
        });
    }

    // the message's bounce address when it has one: a tenant's mail, whose sender intake put on the bounce domain
    private Optional<BounceAddresses.Verp> verp(QueuedMessage m) {
        return bounces == null ? Optional.empty() : m.envelope().reversePath().mailbox().flatMap(bounces::verify)
                .filter(v -> !v.perRecipient());
    }

    // VERP: each recipient's transaction is sent from its own bounce address, derived from the message's (the
    // queue keeps one envelope per message; the HMAC makes the derivation need the secret, which delivery has)
    private Envelope envelope(QueuedMessage m, Group g) {
        Envelope env = m.envelope();
        Optional<BounceAddresses.Verp> verp = verp(m);
        if (verp.isEmpty() || g.recipients().size() != 1) {
            return env;
        }
        ReversePath sender = ReversePath.of(bounces.forRecipient(verp.get(), g.recipients().getFirst().index()));
        return env.withReversePath(sender);
    }

    // a deferral a throttle rule matches suspends (or slows) the site for the egress; else, and when slowed, a site
    // that answered nobody (no connection, 421 at the door) is backed off as a whole
    private void judgeSite(Lane lane, List<Transport.Delivery> outcomes) {
        boolean shaped = false;
        for (Transport.Delivery d : outcomes) {
            throttle.replied(lane, d.relay(), d.outcome().reply().summary());
            if (!shaped && d.outcome() instanceof RecipientOutcome.Deferred deferred) {
                shaped = throttle.shape(lane, deferred.reply());
            }
        }
        if (shaped && throttle.suspendedUntil(lane) != null) {
            // the suspension is the site's backoff; a slowed site is judged as usual besides
            return;
        }
        boolean anyAnswered = outcomes.stream().anyMatch(d -> !(d.outcome() instanceof RecipientOutcome.Deferred)
                || !d.relay().equals("none") && d.outcome().reply().code() != 421);
        if (anyAnswered) {
            throttle.succeeded(lane);
        } else {
            throttle.failed(lane);
        }
    }

    private static Map<Domain, List<QueuedMessage.Pending>> byDomain(List<QueuedMessage.Pending> pending) {
        Map<Domain, List<QueuedMessage.Pending>> out = new LinkedHashMap<>();
        for (QueuedMessage.Pending p : pending) {
            out.computeIfAbsent(p.recipient().address().domain(), d -> new ArrayList<>()).add(p);
        }
        return out;
    }

    static Transport.Delivery none(RecipientOutcome outcome) {
        return new Transport.Delivery(outcome, "none");
    }
}
