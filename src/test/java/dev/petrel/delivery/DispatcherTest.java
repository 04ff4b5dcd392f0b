package dev.petrel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.bounce.Action;
import dev.petrel.bounce.Classifier;
import dev.petrel.bounce.DsnBuilder;
import dev.petrel.dns.Route;
import dev.petrel.dns.Routing;
import dev.petrel.dns.Site;
import dev.petrel.event.MailEvent;
import dev.petrel.intake.AuthenticationPolicy;
import dev.petrel.intake.Intake;
import dev.petrel.mailauth.DkimKeys;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.Transaction;
import dev.petrel.queue.ClaimSource;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.Scheduler;
import dev.petrel.queue.StoredMessage;
import dev.petrel.testing.HandClock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery loop's decisions, with a scripted router and transport over a real queue. */
class DispatcherTest {

    private static final RetrySchedule RETRY = new RetrySchedule(Duration.ofMinutes(5), Duration.ofMinutes(60),
            Duration.ofDays(5), Duration.ofHours(4), 0);

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final List<Transaction> sent = new ArrayList<>();
    private JournalQueueStore queue;
    private Scheduler scheduler;
    private Function<Recipient, RecipientOutcome> answer = r -> new RecipientOutcome.Delivered(r, ok());
    private String relay = "mx.remote.test[192.0.2.1]:25";
    private Dispatcher agent;
    private LocalTransport local;
    private final List<Recipient> locallyDelivered = new ArrayList<>();
    private Function<Recipient, RecipientOutcome> localAnswer = r -> new RecipientOutcome.Delivered(r, ok());

    private static Reply ok() {
        return Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok: queued");
    }

    @BeforeEach
    void setUp() throws IOException {
        queue = JournalQueueStore.open(dir.resolve("queue"), clock, new Random(1), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
        scheduler = new Scheduler(clock);
        Transport transport = recording();
        local = localhost(locallyDelivered, r -> localAnswer.apply(r));
        agent = dispatcher(transport, local, new SiteThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(30), clock));
    }

    /** Local delivery for the domain localhost that notes its recipients and answers each as told. */
    static LocalTransport localhost(List<Recipient> delivered, Function<Recipient, RecipientOutcome> answer) {
        return new LocalTransport() {
            @Override
            public boolean handles(Address recipient) {
                return recipient.domain().name().equals("localhost");
            }

            @Override
            public List<Transport.Delivery> deliver(StoredMessage stored, List<Recipient> recipients) {
                delivered.addAll(recipients);
                return recipients.stream().map(r -> new Transport.Delivery(answer.apply(r), "local",
                        Action.DELIVERED)).toList();
            }
        };
    }

    // a remote server that answers as `answer` says; what was sent is kept in `sent`
    private Transport recording() {
        return (route, egress, transaction) -> {
            sent.add(transaction);
            return transaction.recipients().stream().map(r -> new Transport.Delivery(answer.apply(r), relay)).toList();
        };
    }

    private Dispatcher dispatcher(Transport transport, LocalTransport local, SiteThrottle throttle) {
        return dispatcher(transport, local, throttle, null);
    }

    private Dispatcher dispatcher(Transport transport, LocalTransport local, SiteThrottle throttle,
                                  BounceAddresses bounces) {
        Intake door = new Intake(queue, queue::append, clock, new Random(5), "mx.petrel.test", 50, DkimKeys.NONE, null,
                AuthenticationPolicy.ACCEPT_ALL, false, scheduler);
        return new Dispatcher(new Dispatcher.Parts(queue, scheduler, door, this::route, transport, local,
                new DsnBuilder("mx.petrel.test", clock, new Random(3)), Classifier.shipped(), RETRY, throttle,
                Address.of("postmaster@mx.petrel.test"), clock, new Random(4), 50, 8, Departures.DEFAULT,
                Dispatcher.DEFAULT_STREAM_REFRESH, bounces));
    }

    /** The events of delivery in the feed, once it has been quiet a while (removals are synced a little later). */
    private List<MailEvent> events() {
        try {
            while (queue.await(queue.last(), Duration.ofMillis(100))) {
                // more came
            }
            return queue.read(0, 100_000).stream().map(e -> e.event())
                    .filter(e -> !(e instanceof MailEvent.Queued)).toList();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        queue.close();
    }

    private Routing route(Domain domain) {
        if (domain.name().equals("nxdomain.test")) {
            return new Routing.Failed(Reply.of(550, new EnhancedStatus(5, 1, 2), "no such domain"));
        }
        if (domain.name().equals("servfail.test")) {
            return new Routing.Deferred(Reply.of(451, new EnhancedStatus(4, 4, 3), "DNS failure"));
        }
        Route.Host host = new Route.Host("mx." + domain.name(), 10, List.of(InetAddress.getLoopbackAddress()));
        // every domain of this test is hosted by one provider: one site
        return new Routing.Routed(new Route(domain, Site.of(List.of("mx.provider.test")), List.of(host)));
    }

    @Test
    void deliveryAsksItsClaimSourceForMailAndTellsItOfFlushesReleasesAndWhatIsInFlightAtTheStop() throws Exception {
        QueueId mine = enqueue("a@example.com", "b@remote.test");
        QueueId other = enqueue("a@example.com", "c@remote.test");
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        agent.start(new ClaimSource() {
            @Override
            public void start(Scheduler s) {
                // a node's share of the queue: only what it owns, not every message
                s.schedule(mine, clock.instant().plus(Duration.ofHours(1)));
            }

            @Override
            public void released(QueueId id, Instant due) {
                told.add("released " + id);
            }

            @Override
            public int flush() {
                told.add("flush");
                return 7;
            }

            @Override
            public void stop(java.util.Set<QueueId> inFlight) {
                told.add("stop " + inFlight);
            }
        });
        assertEquals(1, scheduler.size(), "only what the source gave; " + other + " is another node's");
        assertEquals(7, agent.flush(), "the source says how many wait");
        queue.hold(other);
        queue.release(other);
        agent.released(other);
        assertTrue(agent.stop(Duration.ofSeconds(10)));
        assertEquals(List.of("flush", "released " + other, "stop []"), told);
    }

    private QueueId enqueue(String sender, String... recipients) throws IOException {
        QueueId id = queue.newId();
        List<Recipient> rcpts = new ArrayList<>();
        for (String r : recipients) {
            rcpts.add(Recipient.of(Address.of(r)));
        }
        Envelope env = new Envelope(sender.isEmpty() ? ReversePath.NULL : ReversePath.of(Address.of(sender)), rcpts,
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        return id;
    }

    private static final SendContext ACME = new SendContext("acme", "receipts", "welcome", Map.of("order", "42"));

    private QueueId enqueueFor(SendContext context, String... recipients) throws IOException {
        QueueId id = queue.newId();
        List<Recipient> rcpts = new ArrayList<>();
        for (String r : recipients) {
            rcpts.add(Recipient.of(Address.of(r)));
        }
        Envelope env = new Envelope(ReversePath.of(Address.of("a@example.org")), rcpts, Envelope.BodyType.SEVEN_BIT,
                false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, context, new byte[0],
                "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), false, null);
        return id;
    }

    private List<String> eventKinds() {
        return events().stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void aDeliveredMessageLeavesTheQueueWithOneEventPerRecipient() throws IOException {
        QueueId id = enqueue("a@example.org", "x@one.test", "y@one.test");
        agent.attempt(id);
        assertTrue(queue.list().isEmpty());
        assertEquals(List.of("Delivered", "Delivered"), eventKinds());
        assertEquals(1, sent.size(), "both recipients of one domain go in one transaction");
        MailEvent.Delivered d = (MailEvent.Delivered) events().getFirst();
        assertEquals("mx.remote.test[192.0.2.1]:25", d.relay());
        assertEquals("2.0.0", d.dsn());
    }

    @Test
    void oneFailedRecipientOfThreeIsBouncedInOneDsnAndTheOthersDelivered() throws IOException {
        answer = r -> r.address().localPart().equals("bad")
                ? new RecipientOutcome.Failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "User unknown"))
                : new RecipientOutcome.Delivered(r, ok());
        QueueId id = enqueue("a@example.org", "x@one.test", "bad@one.test", "z@two.test");
        agent.attempt(id);
        List<QueuedMessage> left = queue.list();
        assertEquals(1, left.size(), "only the DSN is left");
        QueuedMessage notice = left.getFirst();
        assertTrue(notice.envelope().reversePath().isNull(), "a DSN has the null sender");
        assertEquals("a@example.org", notice.envelope().recipients().getFirst().address().toString());
        String content = new String(queue.read(notice.id()).orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Final-Recipient: rfc822; bad@one.test"), content);
        assertTrue(content.contains("Status: 5.1.1"), content);
        assertTrue(content.contains("Diagnostic-Code: smtp; 550 5.1.1 User unknown"), content);
        assertEquals(List.of("Delivered", "Bounced", "Delivered"), eventKinds());
        assertEquals(1, scheduler.takeDue(10).size(), "the DSN is due at once");
    }

    // issue 17, VERP: a tenant's message queued with its bounce address goes one recipient per transaction, each
    // from its own bounce address; its failures are events, not a DSN to the bounce domain
    @Test
    void aVerpMessageGoesFromEachRecipientsBounceAddressAndMakesNoDsn() throws IOException {
        BounceAddresses bounces = new BounceAddresses(Domain.parse("bounce.test"), new byte[32]);
        agent = dispatcher(recording(), local, new SiteThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(30), clock),
                bounces);
        answer = r -> r.address().localPart().equals("bad")
                ? new RecipientOutcome.Failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "User unknown"))
                : new RecipientOutcome.Delivered(r, ok());
        QueueId id = queue.newId();
        Envelope env = new Envelope(ReversePath.of(bounces.forMessage(id, ACME)), List.of(Recipient.of(Address.of(
                "x@one.test")), Recipient.of(Address.of("bad@one.test"))), Envelope.BodyType.SEVEN_BIT, false,
                Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, ACME, new byte[0], "Subject: hi\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII), false, null);
        agent.attempt(id);
        assertEquals(2, sent.size(), "one transaction per recipient");
        for (Transaction t : sent) {
            // transactions may run in either order: each names its own recipient's index
            BounceAddresses.Verp v = bounces.verify(t.envelope().reversePath().address()).orElseThrow();
            assertEquals(id, v.id());
            assertEquals(t.recipients().getFirst(), env.recipients().get(v.recipient()));
        }
        assertEquals(List.of("Bounced", "Delivered"), eventKinds().stream().sorted().toList());
        assertTrue(queue.list().isEmpty(), "no DSN was queued");
    }

    @Test
    void everyOutcomeEventCarriesTheSendContextOfItsMessage() throws IOException {
        answer = r -> switch (r.address().localPart()) {
            case "bad" -> new RecipientOutcome.Failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "no"));
            case "later" -> new RecipientOutcome.Deferred(r, Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "wait"));
            default -> new RecipientOutcome.Delivered(r, ok());
        };
        QueueId id = enqueueFor(ACME, "x@one.test", "bad@one.test", "later@one.test");
        agent.attempt(id);
        clock.now = clock.now.plus(Duration.ofDays(5));
        agent.attempt(id);
        List<MailEvent> events = events().stream().filter(e -> e instanceof MailEvent.OfMessage m && m.id().equals(id))
                .toList();
        assertEquals(List.of("Delivered", "Bounced", "Deferred", "Expired"),
                events.stream().map(e -> e.getClass().getSimpleName()).toList());
        for (MailEvent e : events) {
            assertEquals(ACME, ((MailEvent.OfMessage) e).context(), e.toString());
        }
    }

    @Test
    void aDeferredRecipientWaitsForTheNextAttemptWrittenBeforeTheAttempt() throws IOException {
        List<Integer> attemptsSeenDuringDelivery = new ArrayList<>();
        answer = r -> {
            attemptsSeenDuringDelivery.add(queue.list().getFirst().state().attempts());
            return new RecipientOutcome.Deferred(r, Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Try later"));
        };
        QueueId id = enqueue("a@example.org", "x@one.test");
        agent.attempt(id);
        assertEquals(List.of(1), attemptsSeenDuringDelivery, "the attempt was on disk before the transport ran");
        QueuedMessage m = queue.list().getFirst();
        assertEquals(1, m.state().attempts());
        assertEquals(clock.now.plus(Duration.ofMinutes(5)), m.state().nextAttempt());
        assertEquals("451 4.3.0 Try later", m.state().lastError());
        assertEquals(List.of("Deferred"), eventKinds());
        assertEquals(List.of(), scheduler.takeDue(10), "not due before its time");
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertEquals(List.of(id), scheduler.takeDue(10));
    }

    @Test
    void routingFailuresBounceOrDeferWithoutContactingAnyServer() throws IOException {
        QueueId id = enqueue("a@example.org", "x@nxdomain.test", "y@servfail.test");
        agent.attempt(id);
        assertTrue(sent.isEmpty());
        assertEquals(List.of("Bounced", "Deferred"), eventKinds());
        QueuedMessage original = queue.list().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        assertEquals(List.of("y@servfail.test"),
                original.pending().stream().map(p -> p.recipient().address().toString()).toList());
    }

    @Test
    void aBounceThatFailsGoesToThePostmasterAsADoubleBounce() throws IOException {
        answer = r -> new RecipientOutcome.Failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "nope"));
        enqueue("", "x@one.test");
        agent.attempt(queue.list().getFirst().id());
        assertEquals(List.of("Bounced"), eventKinds());
        QueuedMessage notice = queue.list().getFirst();
        assertTrue(notice.envelope().reversePath().isNull(), "never bounced back to anyone");
        assertEquals("postmaster@mx.petrel.test", notice.envelope().recipients().getFirst().address().toString());
        String content = new String(queue.read(notice.id()).orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Final-Recipient: rfc822;") && content.contains("x@one.test"), content);
    }

    @Test
    void aDoubleBounceThatFailsIsOnlyLogged() throws IOException {
        answer = r -> new RecipientOutcome.Failed(r, Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "nope"));
        enqueue("", "postmaster@mx.petrel.test");
        agent.attempt(queue.list().getFirst().id());
        assertTrue(queue.list().isEmpty(), "no notice about the postmaster's own notice");
        assertEquals(List.of("Bounced"), eventKinds());
    }

    @Test
    void anExpiredMessageIsReturnedWith447AndRemoved() throws IOException {
        QueueId id = enqueue("a@example.org", "x@one.test");
        clock.now = clock.now.plus(Duration.ofDays(5));
        agent.attempt(id);
        assertTrue(sent.isEmpty(), "no attempt after expiry");
        List<QueuedMessage> left = queue.list();
        assertEquals(1, left.size());
        String content = new String(queue.read(left.getFirst().id()).orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Status: 4.4.7"), content);
        assertTrue(content.contains("Action: failed"), content);
        assertEquals(List.of("Expired"), eventKinds());
    }

    @Test
    void localRecipientsGoToLocalDeliveryInTheSameAttempt() throws IOException {
        QueueId id = enqueue("a@example.org", "user@localhost", "x@one.test");
        agent.attempt(id);
        assertEquals(1, sent.size());
        assertEquals(List.of("x@one.test"), sent.getFirst().recipients().stream().map(r -> r.address().toString()).toList());
        assertEquals(List.of("user@localhost"), locallyDelivered.stream().map(r -> r.address().toString()).toList());
        assertTrue(queue.list().isEmpty(), "both recipients are done");
        assertEquals(List.of("Delivered", "Delivered"), eventKinds());
    }

    @Test
    void aDeferredLocalRecipientWaitsForTheNextAttemptAlone() throws IOException {
        localAnswer = r -> new RecipientOutcome.Deferred(r, Reply.of(452, new EnhancedStatus(4, 2, 2), "Mailbox full"));
        QueueId id = enqueue("a@example.org", "user@localhost", "x@one.test");
        agent.attempt(id);
        QueuedMessage m = queue.list().getFirst();
        assertEquals(List.of("user@localhost"), m.pending().stream().map(p -> p.recipient().address().toString()).toList());
        assertEquals("452 4.2.2 Mailbox full", m.state().lastError());
        clock.advance(Duration.ofMinutes(6));
        localAnswer = r -> new RecipientOutcome.Delivered(r, ok());
        agent.attempt(id);
        assertTrue(queue.list().isEmpty());
        assertEquals(1, sent.size(), "the remote recipient was not sent again");
    }

    @Test
    void aLocalDeliveryAnswersNotifySuccessWithADeliveredReport() throws IOException {
        QueueId id = queue.newId();
        Recipient r = new Recipient(Address.of("user@localhost"), Set.of(Recipient.Notify.SUCCESS), null);
        Envelope env = new Envelope(ReversePath.of(Address.of("a@example.org")), List.of(r),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        agent.attempt(id);
        List<QueuedMessage> left = queue.list();
        assertEquals(1, left.size(), "only the success report is queued");
        String content = new String(queue.read(left.getFirst().id()).orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Action: delivered"), content);
    }

    @Test
    void aSitesMessageRatePostponesWithoutAnAttemptOrAnEvent() throws IOException {
        Transport transport = (route, egress, transaction) -> {
            sent.add(transaction);
            return transaction.recipients().stream().map(r -> new Transport.Delivery(answer.apply(r), relay)).toList();
        };
        Dispatcher limited = dispatcher(transport, LocalTransport.NONE, new SiteThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(30), 1, clock));
        QueueId first = enqueue("a@example.org", "x@one.test");
        QueueId second = enqueue("a@example.org", "y@two.test");
        limited.attempt(first);
        limited.attempt(second);
        assertEquals(1, sent.size(), "one message per second to the provider's site");
        assertEquals(List.of("Delivered"), eventKinds());
        QueuedMessage waiting = queue.list().getFirst();
        assertEquals(second, waiting.id());
        assertEquals(0, waiting.state().attempts(), "a postponement is not an attempt");
        assertEquals(clock.instant().plusSeconds(1), waiting.state().nextAttempt());
        clock.advance(Duration.ofSeconds(1));
        limited.attempt(second);
        assertEquals(2, sent.size());
        assertTrue(queue.list().isEmpty());
    }

    @Test
    void aMessageScheduledAgainWhileItsAttemptRunsIsNotAttemptedTwice() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Transport slow = (route, egress, transaction) -> {
            calls.incrementAndGet();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return transaction.recipients().stream().map(r -> new Transport.Delivery(answer.apply(r), relay)).toList();
        };
        Dispatcher running = dispatcher(slow, LocalTransport.NONE, new SiteThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(30), clock));
        QueueId id = enqueue("a@example.org", "x@one.test");
        try {
            assertTrue(running.dispatch(id));
            awaitTrue(() -> calls.get() == 1, "the first attempt");
            // due again while that attempt waits on the remote server: no second attempt starts
            assertFalse(running.dispatch(id));
            release.countDown();
            awaitTrue(() -> queue.list().isEmpty(), "the delivery to finish");
            assertEquals(1, calls.get(), "one attempt, one delivery");
        } finally {
            release.countDown();
            running.close();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aSiteThatAnswersNobodyIsBackedOffAsAWhole() throws IOException {
        relay = "none";
        answer = r -> new RecipientOutcome.Deferred(r, Reply.of(421, new EnhancedStatus(4, 4, 1), "connection refused"));
        QueueId first = enqueue("a@example.org", "x@one.test");
        QueueId second = enqueue("a@example.org", "y@two.test");
        agent.attempt(first);
        assertEquals(1, sent.size());
        agent.attempt(second);
        assertEquals(1, sent.size(), "the second domain of the same provider was not tried while backed off");
        QueuedMessage m = queue.list().stream().filter(q -> q.id().equals(second)).findFirst().orElseThrow();
        assertEquals(0, m.state().attempts(), "a site's backoff is no attempt of the message");
        assertEquals(clock.now.plus(Duration.ofMinutes(1)), m.state().nextAttempt(), "due when the backoff ends");
        assertEquals(List.of("Deferred"), eventKinds(), "only the first message was tried");
    }

    @Test
    void aFlushDuringABackoffNeitherCountsAsAnAttemptNorMovesTheNextOneLater() throws IOException {
        relay = "none";
        answer = r -> new RecipientOutcome.Deferred(r, Reply.of(421, new EnhancedStatus(4, 4, 1), "connection refused"));
        QueueId id = enqueue("a@example.org", "x@one.test");
        agent.attempt(id);
        QueuedMessage before = queue.list().getFirst();
        assertEquals(1, before.state().attempts());
        // the site is backed off for a minute; the message's own next attempt is five minutes away
        clock.now = clock.now.plusSeconds(30);
        agent.flush();
        agent.attempt(id);
        QueuedMessage after = queue.list().getFirst();
        assertEquals(1, sent.size(), "not tried while its site is backed off");
        assertEquals(1, after.state().attempts(), "the flush was no attempt");
        assertFalse(after.state().nextAttempt().isAfter(before.state().nextAttempt()), "nor later than planned");
        assertEquals(List.of("Deferred", "Flushed"), eventKinds());
    }

    @Test
    void aSenderIsToldOnceThatItsMessageIsDelayed() throws IOException {
        answer = r -> new RecipientOutcome.Deferred(r, Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Try later"));
        QueueId id = enqueue("a@example.org", "x@one.test");
        agent.attempt(id);
        assertEquals(1, queue.list().size(), "no notice before four hours");
        clock.now = clock.now.plus(Duration.ofHours(4));
        agent.attempt(id);
        List<QueuedMessage> notices = queue.list().stream().filter(m -> !m.id().equals(id)).toList();
        assertEquals(1, notices.size());
        String content = new String(queue.read(notices.getFirst().id()).orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Action: delayed"), content);
        assertTrue(content.contains("Will-Retry-Until:"), content);
        assertTrue(queue.list().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow().state().delayNoticed());
        clock.now = clock.now.plus(Duration.ofHours(2));
        agent.attempt(id);
        assertEquals(2, queue.list().size(), "told only once");
    }

    @Test
    void successIsReportedOnlyWhenAskedAndTheRemoteCannotCarryTheRequestOn() throws IOException {
        QueueId id = queue.newId();
        Recipient wantsSuccess = new Recipient(Address.of("x@one.test"),
                java.util.Set.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE), null);
        Recipient silent = Recipient.of(Address.of("y@one.test"));
        Envelope env = new Envelope(ReversePath.of(Address.of("a@example.org")), List.of(wantsSuccess, silent),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        agent.attempt(id);
        List<QueuedMessage> left = queue.list();
        assertEquals(1, left.size(), "one success report, for the recipient that asked");
        String content = new String(queue.read(left.getFirst().id()).orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("Action: relayed"), content);
        assertTrue(content.contains("Final-Recipient: rfc822; x@one.test"), content);
        assertFalse(content.contains("Final-Recipient: rfc822; y@one.test"), content);
    }

    @Test
    void aDelayedMessageWhoseRecipientsRefuseNoticesGetsNoneAndNoError() throws IOException {
        answer = r -> new RecipientOutcome.Deferred(r, Reply.of(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Try later"));
        QueueId id = queue.newId();
        Envelope env = new Envelope(ReversePath.of(Address.of("a@example.org")),
                List.of(new Recipient(Address.of("x@one.test"), java.util.Set.of(Recipient.Notify.NEVER), null)),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        clock.now = clock.now.plus(Duration.ofHours(5));
        agent.attempt(id);
        List<QueuedMessage> left = queue.list();
        assertEquals(1, left.size(), "no notice for NOTIFY=NEVER");
        assertEquals(1, left.getFirst().state().attempts(), "the attempt was recorded, not lost to an error");
        assertEquals("451 4.3.0 Try later", left.getFirst().state().lastError());
    }
}
