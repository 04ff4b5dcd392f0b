package dev.petrel.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.bounce.Classifier;
import dev.petrel.bounce.DsnBuilder;
import dev.petrel.dns.Route;
import dev.petrel.dns.Routing;
import dev.petrel.dns.Site;
import dev.petrel.event.MailEvent;
import dev.petrel.intake.AuthenticationPolicy;
import dev.petrel.intake.Intake;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.mailauth.DkimKeys;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.RetrySchedule;
import dev.petrel.queue.Scheduler;
import dev.petrel.testing.HandClock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a message's stream makes of its delivery, with a scripted transport over a real queue: its egress (and
 * throttles kept per egress and site), a pause that parks its mail, the sandbox, an egress that is not there.
 */
class StreamDispatchTest {

    private static final RetrySchedule RETRY = new RetrySchedule(Duration.ofMinutes(5), Duration.ofMinutes(60),
            Duration.ofDays(5), Duration.ofHours(4), 0);
    private static final Site SITE = Site.of(List.of("mx.provider.test"));
    private static final Egress BULK = new Egress("bulk", List.of(), "news.bravo.test");
    private static final Egress RECEIPTS = new Egress("receipts", List.of(), "out.acme.test");

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final SiteThrottle throttle = new SiteThrottle(4, Duration.ofMinutes(1), Duration.ofMinutes(30), clock);
    /** "EGRESS RECIPIENT..." of each transaction sent. */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<Recipient> locallyDelivered = new CopyOnWriteArrayList<>();
    private JournalQueueStore queue;
    private Scheduler scheduler;
    private Dispatcher agent;
    private boolean paused;
    private Departure bravo = new Departure.Send(BULK);

    // acme's receipts from their pool; bravo's stream as the test sets it
    private Departure departure(SendContext context) {
        if ("acme".equals(context.tenant())) {
            return paused ? new Departure.Paused() : new Departure.Send(RECEIPTS);
        }
        return "bravo".equals(context.tenant()) ? bravo : Departure.DEFAULT;
    }

    @BeforeEach
    void setUp() throws IOException {
        queue = JournalQueueStore.open(dir.resolve("queue"), clock, new Random(1), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
        scheduler = new Scheduler(clock);
        Transport transport = (route, egress, transaction) -> {
            sent.add(egress.name() + " " + String.join(" ",
                    transaction.recipients().stream().map(r -> r.address().toString()).toList()));
            // the provider throttles the bulk egress's address, and takes the others' mail
            return transaction.recipients().stream().map(r -> new Transport.Delivery(egress == BULK
                    ? new RecipientOutcome.Deferred(r, Reply.of(421, new EnhancedStatus(4, 7, 0), "slow down"))
                    : new RecipientOutcome.Delivered(r, Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok")),
                    "mx.provider.test[192.0.2.1]:25")).toList();
        };
        Intake door = new Intake(queue, queue::append, clock, new Random(5), "mx.petrel.test", 50, DkimKeys.NONE, null,
                AuthenticationPolicy.ACCEPT_ALL, false, scheduler);
        LocalTransport local = DispatcherTest.localhost(locallyDelivered,
                r -> new RecipientOutcome.Delivered(r, Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok")));
        agent = new Dispatcher(new Dispatcher.Parts(queue, scheduler, door, this::route, transport, local,
                new DsnBuilder("mx.petrel.test", clock, new Random(3)), Classifier.shipped(), RETRY, throttle,
                Address.of("postmaster@mx.petrel.test"), clock, new Random(4), 50, 8, this::departure,
                Duration.ofSeconds(1)));
    }

    @AfterEach
    void tearDown() throws IOException {
        agent.close();
        queue.close();
    }

    // every domain is hosted by one provider: one site
    private Routing route(Domain domain) {
        Route.Host host = new Route.Host("mx." + domain.name(), 10, List.of(InetAddress.getLoopbackAddress()));
        return new Routing.Routed(new Route(domain, SITE, List.of(host)));
    }

    private QueueId enqueue(String tenant, String... recipients) throws IOException {
        QueueId id = queue.newId();
        List<Recipient> rcpts = new ArrayList<>();
        for (String r : recipients) {
            rcpts.add(new Recipient(Address.of(r), java.util.EnumSet.of(Recipient.Notify.SUCCESS), null));
        }
        Envelope env = new Envelope(ReversePath.of(Address.of("a@" + tenant + ".test")), rcpts,
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, new SendContext(tenant, "s", null, Map.of()), new byte[0],
                "Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), false, null);
        return id;
    }

    private List<MailEvent.Outcome> outcomes() throws IOException, InterruptedException {
        while (queue.await(queue.last(), Duration.ofMillis(100))) {
            // more came
        }
        return queue.read(0, 10_000).stream().map(e -> e.event())
                .filter(e -> e instanceof MailEvent.Outcome).map(e -> (MailEvent.Outcome) e).toList();
    }

    @Test
    void aSiteThrottlingOneEgressDoesNotSlowAnotherEgressToIt() throws Exception {
        agent.attempt(enqueue("bravo", "reader@one.test"));
        assertNotNull(throttle.notBefore(new Lane("bulk", SITE)), "the site backed off the bulk egress");
        assertNull(throttle.notBefore(new Lane("receipts", SITE)));
        agent.attempt(enqueue("bravo", "other@two.test"));
        agent.attempt(enqueue("acme", "buyer@two.test"));
        assertEquals(List.of("bulk reader@one.test", "receipts buyer@two.test"), sent,
                "bulk's second message waits for its backoff; acme's goes at once");
        assertEquals(List.of("bulk", "receipts"), throttle.states().stream().map(SiteThrottle.State::egress).toList());
    }

    @Test
    void aPausedStreamsMailIsParkedWithoutAnAttemptAndGoesOutOnResume() throws Exception {
        paused = true;
        QueueId id = enqueue("acme", "buyer@one.test", "user@localhost");
        agent.attempt(id);
        assertEquals(1, agent.parked());
        assertEquals(List.of(), scheduler.takeDue(10), "off the schedule");
        assertTrue(sent.isEmpty() && locallyDelivered.isEmpty(), "nothing delivered, local mail neither");
        assertEquals(0, queue.find(id).orElseThrow().state().attempts(), "no attempt counted");
        agent.checkParked();
        assertEquals(1, agent.parked(), "still paused");
        paused = false;
        agent.checkParked();
        assertEquals(0, agent.parked());
        assertEquals(List.of(id), scheduler.takeDue(10), "due at once on resume");
        agent.attempt(id);
        assertEquals(List.of("receipts buyer@one.test"), sent);
        assertEquals(2, outcomes().size());
    }

    @Test
    void pausedMailDoesNotExpireWhileItWaitsButAtItsFirstAttemptAfterResume() throws Exception {
        paused = true;
        QueueId id = enqueue("acme", "buyer@one.test");
        agent.attempt(id);
        clock.advance(Duration.ofDays(6));
        // a restart puts it on the schedule again; its attempt parks it again, and it does not expire
        scheduler.load(queue.list());
        agent.attempt(scheduler.takeDue(10).getFirst());
        assertEquals(1, agent.parked());
        assertEquals(List.of(), outcomes());
        paused = false;
        agent.checkParked();
        agent.attempt(id);
        assertTrue(sent.isEmpty(), "too old to send");
        assertEquals(List.of("4.4.7"), queue.read(0, 100).stream().map(e -> e.event())
                .filter(e -> e instanceof MailEvent.Expired).map(e -> ((MailEvent.Expired) e).dsn()).toList());
    }

    @Test
    void aSandboxStreamsMailIsReportedDeliveredAndGoesNowhere() throws Exception {
        bravo = new Departure.Sandbox();
        QueueId id = enqueue("bravo", "reader@one.test", "user@localhost");
        agent.attempt(id);
        assertTrue(sent.isEmpty() && locallyDelivered.isEmpty(), "nothing sent, nothing put in a mailbox");
        List<MailEvent.Outcome> outcomes = outcomes();
        assertEquals(2, outcomes.size());
        for (MailEvent.Outcome o : outcomes) {
            assertTrue(o instanceof MailEvent.Delivered, o.toString());
            assertEquals("250 2.0.0 sandbox: not sent", o.reply());
            assertEquals("sandbox", o.relay());
            assertEquals("bravo", o.context().tenant());
        }
        assertTrue(queue.list().isEmpty(), "done, and no notice of success was queued either");
    }

    @Test
    void aStreamWhoseEgressIsMissingWaitsAndNeverLeavesFromAnother() throws Exception {
        bravo = new Departure.Stuck(Reply.of(451, new EnhancedStatus(4, 3, 5), "Egress pool bulk is not configured"));
        QueueId id = enqueue("bravo", "reader@one.test");
        agent.attempt(id);
        assertTrue(sent.isEmpty());
        assertEquals(List.of("451 4.3.5 Egress pool bulk is not configured"),
                outcomes().stream().map(MailEvent.Outcome::reply).toList());
        assertEquals(1, queue.find(id).orElseThrow().state().attempts());
    }
}
