package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.BounceClass;
import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackReceiverTest {

    @TempDir
    Path dir;

    private final BounceAddresses bounces = new BounceAddresses(Domain.parse("bounce.test"),
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private final SendContext acme = new SendContext("acme", "news", null, Map.of());
    private final QueueId id = QueueId.generate(1_765_000_000_000_000L, new Random(3));
    private final List<MailEvent> events = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Address complaints = Address.of("fbl@example.com");
    private FeedbackReceiver receiver;
    private Address second;

    @BeforeEach
    void setUp() {
        FeedbackReceiver.Scopes scopes = scope -> scope.equals(bounces.scope("acme", "news")) ? Optional.of(acme)
                : Optional.empty();
        receiver = new FeedbackReceiver(bounces, Set.of(complaints), scopes, events::addAll,
                Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC),
                new KeptReports(dir.resolve("unparsed"), log::add, new Random(4)), Classifier.shipped());
        second = bounces.forRecipient(bounces.verify(bounces.forMessage(id, acme)).orElseThrow(), 1);
    }

    private byte[] report(String sample, String... replacements) throws IOException {
        String text = new String(ReportParserTest.sample(sample), StandardCharsets.UTF_8).replace("b-X@bounce.example",
                second.toString());
        for (int i = 0; i < replacements.length; i += 2) {
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private long kept() throws IOException {
        Path fresh = dir.resolve("unparsed/new");
        if (!Files.isDirectory(fresh)) {
            return 0;
        }
        try (var files = Files.list(fresh)) {
            return files.count();
        }
    }

    @Test
    void aFailedRecipientIsBouncedAndADelayedOneDeferred() throws IOException {
        receiver.receive(List.of(second), report("postfix-user-unknown.eml"));
        receiver.receive(List.of(second), report("gmail-delayed.eml"));
        MailEvent.Bounced b = assertInstanceOf(MailEvent.Bounced.class, events.get(0));
        assertEquals(id, b.id());
        assertEquals("nobody@example.net", b.to());
        assertEquals("5.1.1", b.dsn());
        assertEquals(BounceClass.HARD, b.bounceClass(), "no such user, from the report's status");
        assertEquals(acme, b.context());
        assertTrue(b.reply().startsWith("550 5.1.1 <nobody@example.net>"), b.reply());
        MailEvent.Deferred d = assertInstanceOf(MailEvent.Deferred.class, events.get(1));
        assertEquals("4.2.2", d.dsn());
        assertEquals(BounceClass.SOFT, d.bounceClass(), "mailbox full");
        assertEquals("dsn", d.relay());
        assertEquals(0, kept());
    }

    // RFC 3464 2.3.3: delivered, relayed and expanded say nothing went wrong; such a report is no bounce
    @Test
    void aReportOfSuccessMakesNoEventAndIsKept() throws IOException {
        receiver.receive(List.of(second), report("postfix-user-unknown.eml", "Action: failed", "Action: delivered"));
        assertTrue(events.isEmpty(), events.toString());
        assertEquals(1, kept());
    }

    @Test
    void aComplaintToTheComplaintsAddressFindsTheMessageByOriginalMailFrom() throws IOException {
        receiver.receive(List.of(complaints), report("rfc5965-appendix-b2.eml",
                "Original-Mail-From: <somespammer@example.net>", "Original-Mail-From: <" + second + ">"));
        MailEvent.Complained c = assertInstanceOf(MailEvent.Complained.class, events.getFirst());
        assertEquals(id, c.id());
        assertEquals("user@example.com", c.to());
        assertEquals("abuse", c.feedbackType());
        assertEquals("SomeGenerator/1.0", c.reporter());
        assertEquals(acme, c.context());
    }

    // a feedback loop that sends to the envelope sender: the bounce address itself
    @Test
    void aComplaintToABounceAddressNamesItsMessage() throws IOException {
        receiver.receive(List.of(second), report("rfc5965-appendix-b2.eml"));
        MailEvent.Complained c = assertInstanceOf(MailEvent.Complained.class, events.getFirst());
        assertEquals(id, c.id());
        assertEquals(acme, c.context());
    }

    // the tenant comes from the address's keyed scope: a complaint naming no bounce address of ours is kept
    @Test
    void aComplaintNamingNoMessageOfOursIsKeptWithALogLine() throws IOException {
        receiver.receive(List.of(complaints), report("rfc5965-appendix-b2.eml"));
        assertTrue(events.isEmpty());
        assertEquals(1, kept());
        assertTrue(log.getFirst().startsWith("feedback kept reason=\"no message of ours\" file="), log.toString());
    }

    @Test
    void aStreamThatIsGoneKeepsTheReport() throws IOException {
        Address other = bounces.forRecipient(bounces.verify(bounces.forMessage(id,
                new SendContext("gone", null, null, Map.of()))).orElseThrow(), 0);
        receiver.receive(List.of(other), report("postfix-user-unknown.eml", second.toString(), other.toString()));
        assertTrue(events.isEmpty());
        assertEquals(1, kept());
    }

    @Test
    void onlyBounceAddressesMadeHereAndComplaintsAddressesAreAccepted() {
        assertTrue(receiver.accepts(second));
        assertTrue(receiver.accepts(complaints));
        assertTrue(receiver.accepts(bounces.forMessage(id, acme)));
        assertFalse(receiver.accepts(new Address(second.localPart().replace("-1-", "-2-"), second.domain())));
        assertTrue(receiver.isFeedbackAddress(Address.of("anything@bounce.test")));
        assertFalse(receiver.isFeedbackAddress(Address.of("anything@example.com")));
    }

    /** A requests address, unsubscribe@bounce.test, that can do what mail whose Subject is "yes" asks. */
    private static FeedbackReceiver.Requests requests(List<String> taken) {
        return new FeedbackReceiver.Requests() {
            @Override
            public boolean isFor(Address to) {
                return to.equals(Address.of("unsubscribe@bounce.test"));
            }

            @Override
            public boolean take(byte[] content) {
                String text = new String(content, StandardCharsets.UTF_8);
                taken.add(text);
                return text.startsWith("Subject: yes\r\n");
            }
        };
    }

    private FeedbackReceiver withRequests(List<String> taken) {
        return new FeedbackReceiver(bounces, Set.of(complaints), scope -> scope.equals(bounces.scope("acme", "news"))
                ? Optional.of(acme) : Optional.empty(), events::addAll, Clock.systemUTC(),
                new KeptReports(dir.resolve("unparsed"), log::add, new Random(4)), Classifier.shipped(),
                requests(taken));
    }

    @Test
    void mailToTheRequestsAddressIsTakenByItAndWhatItCannotDoIsKept() throws IOException {
        List<String> taken = new ArrayList<>();
        FeedbackReceiver r = withRequests(taken);
        Address unsubscribe = Address.of("unsubscribe@bounce.test");
        assertTrue(r.accepts(unsubscribe), "no HMAC in its local part, yet taken at RCPT");
        assertTrue(r.isFeedbackAddress(unsubscribe));
        r.receive(List.of(unsubscribe), "Subject: yes\r\n\r\nplease\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, taken.size());
        assertEquals(0, kept());
        r.receive(List.of(unsubscribe), "Subject: no token\r\n\r\nplease\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, taken.size());
        assertEquals(1, kept());
        assertTrue(log.getFirst().startsWith("feedback kept reason=\"a request naming nothing of ours\""), log.toString());
        assertTrue(events.isEmpty(), "a request is no report: " + events);
    }

    @Test
    void aReportSentToABounceAddressAndTheRequestsAddressAtOnceReachesBoth() throws IOException {
        List<String> taken = new ArrayList<>();
        FeedbackReceiver r = withRequests(taken);
        r.receive(List.of(second, Address.of("unsubscribe@bounce.test")), report("postfix-user-unknown.eml"));
        assertEquals(1, taken.size());
        assertInstanceOf(MailEvent.Bounced.class, events.getFirst());
        assertEquals(1, kept(), "the report is no request: kept once, for the requests address");
    }
}
