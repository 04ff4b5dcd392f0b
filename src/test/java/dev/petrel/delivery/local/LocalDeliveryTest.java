package dev.petrel.delivery.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Alias;
import dev.petrel.account.DomainEntry;
import dev.petrel.account.LocalRecipients;
import dev.petrel.account.User;
import dev.petrel.bounce.Action;
import dev.petrel.delivery.Transport.Delivery;
import dev.petrel.event.EventSink;
import dev.petrel.intake.Intake;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.Door;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.StoredMessage;
import dev.petrel.smtp.client.Timeouts;
import dev.petrel.store.Stores;
import dev.petrel.testing.HandClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local delivery over real Maildirs, a real account store and a real queue. */
class LocalDeliveryTest {

    private static final String BODY = "Subject: hello\r\n\r\nbody\r\n";

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final List<QueueId> queued = new ArrayList<>();
    private final List<Domain> forwardedVia = new ArrayList<>();
    private Stores accounts;
    private JournalQueueStore queue;
    private LocalDelivery local;

    @BeforeEach
    void setUp() throws IOException {
        accounts = Stores.open(Stores.EMBEDDED, dir, List.of(Domain.parse("localhost")), line -> {});
        accounts.domains().add(new DomainEntry(Domain.parse("example.com"), true));
        accounts.users().add(User.withPassword(Address.of("alice@example.com"), "pw", new Random(1)));
        accounts.users().add(User.withPassword(Address.of("bob@example.com"), "pw", new Random(1)));
        queue = JournalQueueStore.open(dir.resolve("queue"), clock, new Random(2), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
        local = delivery(Map.of());
    }

    private LocalDelivery delivery(Map<Domain, LmtpTarget> lmtp) {
        return new LocalDelivery(new LocalRecipients(accounts.users(), accounts.domains(), accounts.aliases(),
                Domain.parse("mx.example.com"), "+", false),
                new MaildirLayout(dir, "mail/%d/%n"), new Maildirs("mx.example.com", clock), lmtp, "mx.example.com",
                Timeouts.uniform(Duration.ofSeconds(5)), new RecordingDoor(), clock, Duration.ofDays(1));
    }

    /** Intake's door over the test's queue, noting the copies it was asked to seal, by the alias's domain. */
    private final class RecordingDoor implements Door {
        @Override
        public QueueId enqueue(Envelope envelope, byte[] head, byte[] body) throws IOException {
            QueueId id = new Intake(queue, EventSink.NONE, clock, new Random(3), "mx.example.com", 50)
                    .enqueue(envelope, head, body);
            queued.add(id);
            return id;
        }

        @Override
        public QueueId forward(Envelope envelope, Domain via, byte[] head, byte[] body) throws IOException {
            forwardedVia.add(via);
            return enqueue(envelope, head, body);
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        queue.close();
        accounts.close();
    }

    private StoredMessage message(String content, Recipient... recipients) throws IOException {
        QueueId id = queue.newId();
        Envelope env = new Envelope(ReversePath.of(Address.of("sender@remote.test")), List.of(recipients),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.9", "client.test");
        queue.enqueue(id, clock.instant(), env, content.getBytes(StandardCharsets.UTF_8));
        return queue.read(id).orElseThrow();
    }

    private static Recipient to(String address) {
        return Recipient.of(Address.of(address));
    }

    private Delivery deliverOne(StoredMessage m) {
        List<Delivery> out = local.deliver(m, m.message().envelope().recipients());
        assertEquals(1, out.size());
        return out.getFirst();
    }

    private List<String> mailbox(String domain, String user) throws IOException {
        Path box = dir.resolve("mail").resolve(domain).resolve(user).resolve("new");
        if (!Files.isDirectory(box)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(box)) {
            List<String> out = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                out.add(Files.readString(f));
            }
            return out;
        }
    }

    @Test
    void aUserGetsTheMessageInItsMaildirWithTraceHeaders() throws IOException {
        Delivery d = deliverOne(message(BODY, to("Alice+news@Example.com")));
        assertInstanceOf(RecipientOutcome.Delivered.class, d.outcome());
        assertEquals("local", d.relay());
        assertEquals(Action.DELIVERED, d.successNotice());
        assertEquals(List.of("Return-Path: <sender@remote.test>\nDelivered-To: Alice+news@example.com\n"
                + "Subject: hello\n\nbody\n"), mailbox("example.com", "alice"));
    }

    @Test
    void anAddressNobodyHasAnyMoreBouncesAsUnknown() throws IOException {
        Delivery d = deliverOne(message(BODY, to("gone@example.com")));
        RecipientOutcome.Failed f = assertInstanceOf(RecipientOutcome.Failed.class, d.outcome());
        assertEquals("550 5.1.1 User unknown in local recipient table", f.reply().summary());
    }

    @Test
    void postmasterWithoutAUserHasAMailboxOfItsOwn() throws IOException {
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message(BODY, to("postmaster@example.com"))).outcome());
        assertEquals(1, mailbox("example.com", "postmaster").size());
        // the server's own name is not a local domain, but its postmaster is
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message(BODY, to("Postmaster@mx.example.com"))).outcome());
        assertEquals(1, mailbox("mx.example.com", "postmaster").size());
    }

    @Test
    void anAliasQueuesOneCopyForItsTargetsMarkedWithDeliveredTo() throws IOException {
        accounts.aliases().add(Alias.parse("team@example.com", List.of(Address.of("bob@example.com"),
                Address.of("carol@remote.test"))));
        Recipient team = new Recipient(Address.of("team@example.com"),
                Set.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE), null);
        Delivery d = deliverOne(message(BODY, team));
        RecipientOutcome.Delivered ok = assertInstanceOf(RecipientOutcome.Delivered.class, d.outcome());
        assertEquals(1, queued.size());
        assertEquals("250 2.0.0 Forwarded as " + queued.getFirst(), ok.reply().summary());
        // RFC 3461 6.2.7.1: several targets: "expanded" is reported here and SUCCESS is not passed on
        assertEquals(Action.EXPANDED, d.successNotice());
        StoredMessage copy = queue.read(queued.getFirst()).orElseThrow();
        assertEquals("Delivered-To: team@example.com\r\n" + BODY, new String(copy.content(), StandardCharsets.UTF_8));
        Envelope env = copy.message().envelope();
        assertEquals("sender@remote.test", env.reversePath().toString());
        assertEquals(List.of("bob@example.com", "carol@remote.test"),
                env.recipients().stream().map(r -> r.address().toString()).toList());
        for (Recipient r : env.recipients()) {
            assertEquals(Set.of(Recipient.Notify.FAILURE), r.notifyOn());
            assertEquals("rfc822;team@example.com", r.orcpt());
        }
        assertEquals(List.of(), mailbox("example.com", "team"));
    }

    @Test
    void anAliasToOneAddressPassesTheDsnRequestOn() throws IOException {
        accounts.aliases().add(Alias.parse("info@example.com", List.of(Address.of("bob@example.com"))));
        Recipient info = new Recipient(Address.of("info@example.com"), Set.of(Recipient.Notify.SUCCESS), "rfc822;info@example.com");
        Delivery d = deliverOne(message(BODY, info));
        assertNull(d.successNotice());
        Recipient onward = queue.read(queued.getFirst()).orElseThrow().message().envelope().recipients().getFirst();
        assertEquals(Set.of(Recipient.Notify.SUCCESS), onward.notifyOn());
    }

    @Test
    void aMessageThatCameThroughTheAliasBeforeIsALoopAndBounces() throws IOException {
        accounts.aliases().add(Alias.parse("a@example.com", List.of(Address.of("b@example.com"))));
        Delivery d = deliverOne(message("Delivered-To: b@example.com\r\nDelivered-To: A@example.com\r\n" + BODY,
                to("a@example.com")));
        RecipientOutcome.Failed f = assertInstanceOf(RecipientOutcome.Failed.class, d.outcome());
        assertEquals("554 5.4.6 Mail forwarding loop for a@example.com", f.reply().summary());
        assertEquals(List.of(), queued);
    }

    @Test
    void twoAliasesNamingEachOtherEndInABounceAfterOneRoundTrip() throws IOException {
        accounts.aliases().add(Alias.parse("a@example.com", List.of(Address.of("b@example.com"))));
        accounts.aliases().add(Alias.parse("b@example.com", List.of(Address.of("a@example.com"))));
        StoredMessage m = message(BODY, to("a@example.com"));
        for (int hop = 0; hop < 2; hop++) {
            assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(m).outcome());
            m = queue.read(queued.getLast()).orElseThrow();
        }
        RecipientOutcome.Failed f = assertInstanceOf(RecipientOutcome.Failed.class, deliverOne(m).outcome());
        assertEquals(554, f.reply().code());
        assertEquals(2, queued.size());
    }

    @Test
    void anAliasThatNamesItselfKeepsACopyInItsOwnMailbox() throws IOException {
        accounts.aliases().add(Alias.parse("alice@example.com", List.of(Address.of("alice@example.com"),
                Address.of("bob@example.com"))));
        Delivery d = deliverOne(message(BODY, to("alice@example.com")));
        RecipientOutcome.Delivered ok = assertInstanceOf(RecipientOutcome.Delivered.class, d.outcome());
        assertEquals("250 2.0.0 Kept and forwarded as " + queued.getFirst(), ok.reply().summary());
        assertEquals(1, mailbox("example.com", "alice").size());
        assertEquals(List.of("bob@example.com"), queue.read(queued.getFirst()).orElseThrow().message().envelope()
                .recipients().stream().map(r -> r.address().toString()).toList());
    }

    @Test
    void aCopyForAnotherServerGoesOutToBeSealedInTheAliasDomainsNameAndALocalOneDoesNot() throws IOException {
        accounts.aliases().add(Alias.parse("list@example.com", List.of(Address.of("bob@example.com"),
                Address.of("carol@remote.test"))));
        accounts.aliases().add(Alias.parse("team@example.com", List.of(Address.of("bob@example.com"))));
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message(BODY, to("list@example.com"))).outcome());
        assertEquals(List.of(Domain.parse("example.com")), forwardedVia);
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message(BODY, to("team@example.com"))).outcome());
        assertEquals(1, forwardedVia.size(), "RFC 8617 seals mail that leaves; a copy that stays is not sealed");
        assertEquals(2, queued.size());
    }

    @Test
    void theCatchAllTakesUnknownNames() throws IOException {
        accounts.aliases().add(Alias.parse("@example.com", List.of(Address.of("bob@example.com"))));
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message(BODY, to("whoever@example.com"))).outcome());
        assertEquals("Delivered-To: whoever@example.com\r\n" + BODY,
                new String(queue.read(queued.getFirst()).orElseThrow().content(), StandardCharsets.UTF_8));
    }

    @Test
    void aFullMailboxDefersUntilTheGraceIsOverThenBounces() throws IOException {
        accounts.users().setQuota(Address.of("alice@example.com"), 170);
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message(BODY, to("alice@example.com"))).outcome());
        StoredMessage second = message(BODY + "x".repeat(100) + "\r\n", to("alice@example.com"));
        RecipientOutcome.Deferred wait = assertInstanceOf(RecipientOutcome.Deferred.class, deliverOne(second).outcome());
        assertEquals("452 4.2.2", wait.reply().code() + " " + wait.reply().status());
        clock.advance(Duration.ofDays(1));
        RecipientOutcome.Failed full = assertInstanceOf(RecipientOutcome.Failed.class, deliverOne(second).outcome());
        assertEquals("552 5.2.2", full.reply().code() + " " + full.reply().status());
        assertEquals(1, mailbox("example.com", "alice").size());
        // a small message still fits
        assertInstanceOf(RecipientOutcome.Delivered.class, deliverOne(message("\r\nx\r\n", to("alice@example.com"))).outcome());
    }

    @Test
    void aMailboxThatCannotBeWrittenDefers() throws IOException {
        // a file where the domain's folder should be
        Files.createDirectories(dir.resolve("mail"));
        Files.writeString(dir.resolve("mail/example.com"), "not a folder");
        RecipientOutcome.Deferred d = assertInstanceOf(RecipientOutcome.Deferred.class,
                deliverOne(message(BODY, to("alice@example.com"))).outcome());
        assertEquals(451, d.reply().code());
    }
}
