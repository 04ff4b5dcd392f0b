package dev.petrel.intake;

import dev.petrel.queue.Arrivals;
import dev.petrel.mailauth.DkimKeys;
import dev.petrel.mail.Domain;
import dev.petrel.mail.BounceAddresses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.MailEvent;
import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.LineLimit;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.ReversePath;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntakeTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String DATE = "Sat, 28 Nov 2026 10:00:00 +0000";

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<MailEvent> refused = new ArrayList<>();
    private long feedMark;

    /** The refusals intake reported, then the events in the queue's feed since the mark. */
    private List<MailEvent> events() {
        List<MailEvent> all = new ArrayList<>(refused);
        if (queue != null) {
            try {
                queue.read(feedMark, 10_000).forEach(e -> all.add(e.event()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return all;
    }
    private JournalQueueStore queue;
    private Intake intake;

    @BeforeEach
    void openQueue() throws IOException {
        queue = JournalQueueStore.open(dir.resolve("queue"), clock, new Random(1), JournalQueueStore.DEFAULT_SEGMENT_SIZE);
        intake = new Intake(queue, refused::add, clock, new Random(2), "mx.test", 3);
    }

    @AfterEach
    void closeQueue() throws IOException {
        if (queue != null) {
            queue.close();
        }
    }

    private static Envelope envelope(String clientAddress, String helo, String user, String... recipients) {
        return new Envelope(ReversePath.of(Address.of("sender@example.com")),
                Arrays.stream(recipients).map(r -> Recipient.of(Address.of(r))).toList(),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, user, clientAddress, helo);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Accepts a submission; returns the id from the 250 reply. */
    private QueueId accept(Submission submission) {
        Reply reply = intake.accept(submission);
        assertEquals(250, reply.code(), reply::toString);
        assertEquals("2.0.0", reply.status().toString());
        String text = reply.lines().getFirst();
        assertTrue(text.startsWith("Ok: queued as "), text);
        return new QueueId(text.substring("Ok: queued as ".length()));
    }

    private String stored(QueueId id) throws IOException {
        return new String(queue.read(id).orElseThrow().content(), StandardCharsets.UTF_8);
    }

    private static final String BODY = "From: a@example.com\r\nSubject: hello\r\n\r\nbody line\r\n";

    // RFC 5322 2.1.1 (issue 18): whatever the door, a line over 998 octets is made to fit before the queue; the
    // Received header stays on top, as it was
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "an authenticated submission | alice@example.com",
            "mail from elsewhere         | ''",
    })
    void aLongLineIsReencodedBeforeTheMessageIsQueued(String what, String user) throws IOException {
        String line = "y".repeat(5000);
        Submission s = new Submission(envelope("192.0.2.1", "client.example", user.isEmpty() ? null : user,
                "user@example.net"), bytes("From: a@example.com\r\n\r\n" + line + "\r\n"), "ESMTP", null, null, false);
        String stored = stored(accept(s));
        assertTrue(stored.startsWith("Received: from client.example ([192.0.2.1])\r\n"), stored);
        assertTrue(stored.contains("\r\nFrom: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                + "charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"), what);
        assertFalse(LineLimit.exceeded(bytes(stored)), what);
    }

    @Test
    void aCopyMadeHereWithALongLineIsReencodedAndOneWithoutIsQueuedAsItIs() throws IOException {
        Envelope env = envelope("local", null, null, "user@example.net");
        byte[] fits = bytes(BODY);
        assertEquals(BODY, stored(intake.enqueue(env, new byte[0], fits)));
        String copy = stored(intake.enqueue(env, bytes("X-Forwarded: yes\r\n"), bytes(BODY + "z".repeat(3000) + "\r\n")));
        assertTrue(copy.startsWith("X-Forwarded: yes\r\n"), copy);
        assertFalse(LineLimit.exceeded(bytes(copy)), copy);
    }

    @Test
    void receivedNamesHeloAddressTlsProtocolIdRecipientAndDate() throws IOException {
        Submission s = new Submission(envelope("192.0.2.1", "client.example", "alice@example.com", "user@example.net"),
                bytes(BODY), "ESMTPSA", "TLSv1.3", "TLS_AES_256_GCM_SHA384", false);
        QueueId id = accept(s);
        assertEquals("Received: from client.example ([192.0.2.1])\r\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tby mx.test (Petrel) with ESMTPSA id " + id + "\r\n"
                + "\tfor <user@example.net>; " + DATE + "\r\n"
                + BODY, stored(id));
    }

    @Test
    void receivedWithoutTlsAndWithSeveralRecipientsHasNoCommentAndNoFor() throws IOException {
        // "for" would tell every recipient who else got the message
        Submission s = new Submission(envelope("192.0.2.1", "client.example", null, "a@example.net", "b@example.net"),
                bytes(BODY), "ESMTP", null, null, false);
        QueueId id = accept(s);
        assertEquals("Received: from client.example ([192.0.2.1])\r\n"
                + "\tby mx.test (Petrel) with ESMTP id " + id + "; " + DATE + "\r\n"
                + BODY, stored(id));
    }

    @Test
    void anIpv6ClientIsAnIpv6AddressLiteral() throws IOException {
        QueueId id = accept(new Submission(envelope("2001:db8::25", "client.example", null, "a@example.net"),
                bytes(BODY), "ESMTP", null, null, false));
        assertTrue(stored(id).startsWith("Received: from client.example ([IPv6:2001:db8::25])\r\n"), stored(id));
    }

    @Test
    void aMissingOrHostileHeloIsMadeHarmless() throws IOException {
        QueueId none = accept(new Submission(envelope("192.0.2.1", null, null, "a@example.net"),
                bytes(BODY), "SMTP", null, null, false));
        assertTrue(stored(none).startsWith("Received: from unknown ([192.0.2.1])\r\n"), stored(none));
        // comment characters and line breaks must not end up in the header as such
        QueueId hostile = accept(new Submission(envelope("192.0.2.1", "evil(x)\\\r\nBcc:", null, "a@example.net"),
                bytes(BODY), "SMTP", null, null, false));
        assertTrue(stored(hostile).startsWith("Received: from evil?x???" + "?Bcc: ([192.0.2.1])\r\n"), stored(hostile));
    }

    @Test
    void aLocalProgramsMessageIsReceivedByTheHostWithoutAClient() throws IOException {
        QueueId id = accept(new Submission(envelope(Intake.LOCAL, null, "root", "a@example.net"),
                bytes(BODY), "local", null, null, false));
        assertEquals("Received: by mx.test (Petrel, from local program) id " + id + "; " + DATE + "\r\n" + BODY,
                stored(id));
    }

    // issue 17, feedback from receivers: a tenant's mail leaves from its bounce address and carries Feedback-ID;
    // other mail, and a null sender, are left as they are
    @Test
    void tenantMailGetsAVerpSenderAndAFeedbackId() throws IOException {
        BounceAddresses bounces = new BounceAddresses(Domain.parse("bounce.test"),
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        intake = new Intake(queue, refused::add, clock, new Random(2), "mx.test", 3, DkimKeys.NONE, null,
                AuthenticationPolicy.ACCEPT_ALL, false, Arrivals.NONE, 0, new TenantMail(bounces, "petrel"));
        SendContext acme = new SendContext("acme", "news", "spring:sale", Map.of());
        Envelope env = envelope("192.0.2.1", "client.example", "apikey:k1", "a@example.net", "b@example.net");
        QueueId id = accept(new Submission(env, bytes(BODY), "ESMTPSA", null, null, true, true, acme));
        QueuedMessage m = queue.find(id).orElseThrow();
        BounceAddresses.Verp verp = bounces.verify(m.envelope().reversePath().address()).orElseThrow();
        assertEquals(id, verp.id());
        assertEquals(bounces.scope("acme", "news"), verp.scope());
        assertTrue(stored(id).contains("\r\nFeedback-ID: spring-sale:news:acme:petrel\r\n"), stored(id));

        QueueId own = accept(new Submission(env, bytes("Feedback-ID: mine:x:y:someone\r\n" + BODY), "ESMTPSA", null,
                null, true, true, acme));
        assertFalse(stored(own).contains("someone"), stored(own));
        assertTrue(stored(own).contains("\r\nFeedback-ID: spring-sale:news:acme:petrel\r\n"), stored(own));

        QueueId plain = accept(new Submission(env, bytes(BODY), "ESMTPSA", null, null, true, true, SendContext.EMPTY));
        assertEquals("sender@example.com", queue.find(plain).orElseThrow().envelope().reversePath().toString());
        assertFalse(stored(plain).contains("Feedback-ID"));
        Envelope nullSender = new Envelope(ReversePath.NULL, env.recipients(), env.bodyType(), false, env.ret(), null,
                env.authenticatedUser(), env.clientAddress(), env.clientHelo());
        QueueId bounce = accept(new Submission(nullSender, bytes(BODY), "ESMTPSA", null, null, true, true, acme));
        assertTrue(queue.find(bounce).orElseThrow().envelope().reversePath().isNull());
    }

    // issue 17: a report to a feedback address is handed over, not queued; a copy for someone else in the same
    // transaction is queued for them alone
    @Test
    void reportsToFeedbackAddressesAreHandedOverAndOthersQueued() throws IOException {
        List<List<Address>> handed = new ArrayList<>();
        Feedback feedback = new Feedback() {
            @Override
            public boolean isFeedbackAddress(Address to) {
                return to.domain().equals(Domain.parse("bounce.test"));
            }

            @Override
            public void receive(List<Address> recipients, byte[] content) {
                handed.add(recipients);
            }
        };
        intake = new Intake(queue, refused::add, clock, new Random(2), "mx.test", 3, DkimKeys.NONE, null,
                AuthenticationPolicy.ACCEPT_ALL, false, Arrivals.NONE, 0, new TenantMail(null, null, feedback));
        Reply only = intake.accept(new Submission(envelope("192.0.2.1", "mx.remote", null, "b-1@bounce.test"),
                bytes(BODY), "ESMTP", null, null, false));
        assertEquals(250, only.code(), only.toString());
        assertTrue(queue.list().isEmpty());
        QueueId mixed = accept(new Submission(envelope("192.0.2.1", "mx.remote", null, "b-2@bounce.test",
                "user@example.net"), bytes(BODY), "ESMTP", null, null, false));
        assertEquals(List.of(List.of(Address.of("b-1@bounce.test")), List.of(Address.of("b-2@bounce.test"))), handed);
        assertEquals(List.of(Recipient.of(Address.of("user@example.net"))),
                queue.find(mixed).orElseThrow().envelope().recipients());
    }

    @Test
    void submissionsGetMessageIdAndDateWhenMissing() throws IOException {
        byte[] content = bytes("Subject: no id\r\n\r\nbody\r\n");
        QueueId id = accept(new Submission(envelope("192.0.2.1", "client.example", "alice@example.com", "a@example.net"),
                content, "ESMTPSA", "TLSv1.3", "TLS_AES_256_GCM_SHA384", true));
        String message = stored(id);
        String added = message.substring(0, message.length() - content.length);
        assertTrue(Pattern.compile("\r\nMessage-ID: <" + id + "\\.[0-9a-f]{16}@mx\\.test>\r\nDate: " + Pattern.quote(DATE) + "\r\n$")
                .matcher(added).find(), added);
        assertTrue(added.startsWith("Received: "), added);
    }

    @Test
    void relayedMailGetsNoMessageIdOrDate() throws IOException {
        byte[] content = bytes("Subject: no id\r\n\r\nbody\r\n");
        QueueId id = accept(new Submission(envelope("192.0.2.1", "client.example", null, "a@example.net"),
                content, "ESMTP", null, null, false));
        assertFalse(stored(id).contains("Message-ID"));
        assertFalse(stored(id).contains("Date:"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // any case of the field name counts
            "Message-ID: <x@example.com>\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\n",
            "message-id: <x@example.com>\r\ndate: Fri, 27 Nov 2026 09:00:00 +0000\r\n",
            "MESSAGE-ID: <x@example.com>\r\nDATE: Fri, 27 Nov 2026 09:00:00 +0000\r\n",
            // fields anywhere in the header section, also after folded ones
            "Subject: folded\r\n over two lines\r\nMessage-Id: <x@example.com>\r\nTo: a@example.net\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\n",
    })
    void existingMessageIdAndDateAreNotDuplicated(String headers) throws IOException {
        byte[] content = bytes(headers + "\r\nbody\r\n");
        QueueId id = accept(new Submission(envelope("192.0.2.1", "client.example", "alice@example.com", "a@example.net"),
                content, "ESMTPSA", "TLSv1.3", "TLS_AES_256_GCM_SHA384", true));
        String message = stored(id);
        String added = message.substring(0, message.length() - content.length);
        assertFalse(added.toLowerCase().contains("message-id"), added);
        assertFalse(added.toLowerCase().contains("\r\ndate:"), added);
    }

    @Test
    void fieldsInTheBodyDoNotCountAsHeaders() throws IOException {
        byte[] content = bytes("Subject: x\r\n\r\nMessage-ID: <in-the-body@example.com>\r\nDate: never\r\n");
        QueueId id = accept(new Submission(envelope("192.0.2.1", "client.example", "alice@example.com", "a@example.net"),
                content, "ESMTPSA", null, null, true));
        String message = stored(id);
        String added = message.substring(0, message.length() - content.length);
        assertTrue(added.contains("\r\nMessage-ID: <" + id + "."), added);
        assertTrue(added.contains("\r\nDate: " + DATE + "\r\n"), added);
    }

    @Test
    void theOriginalBytesFollowTheAddedHeadersUnchanged() throws IOException {
        // 8-bit, NUL, long lines, dots: whatever the session accepted is stored as it came
        byte[] content = new byte[5000];
        new Random(4).nextBytes(content);
        System.arraycopy(bytes("Subject: x\r\n\r\n"), 0, content, 0, 14);
        QueueId id = accept(new Submission(envelope("192.0.2.1", "client.example", "alice@example.com", "a@example.net"),
                content, "ESMTPSA", null, null, true));
        byte[] message = queue.read(id).orElseThrow().content();
        byte[] tail = Arrays.copyOfRange(message, message.length - content.length, message.length);
        assertArrayEquals(content, tail);
        String head = new String(message, 0, message.length - content.length, StandardCharsets.UTF_8);
        // the added part is whole header fields: each line ends in CRLF, continuations start with a tab
        assertTrue(head.endsWith("\r\n"));
        for (String line : head.split("\r\n")) {
            assertTrue(line.matches("(Received|Message-ID|Date): .*") || line.startsWith("\t"), line);
        }
    }

    @Test
    void theQueuedMessageHasTheEnvelopeAndArrival() throws IOException {
        Envelope envelope = envelope("192.0.2.1", "client.example", null, "a@example.net");
        QueueId id = accept(new Submission(envelope, bytes(BODY), "ESMTP", null, null, false));
        StoredMessage stored = queue.read(id).orElseThrow();
        assertEquals(envelope, stored.message().envelope());
        assertEquals(NOW, stored.message().arrival());
        assertEquals(List.of(id), queue.list().stream().map(QueuedMessage::id).toList());
    }

    @Test
    void tooManyReceivedHeadersMeanALoopAndAre554() throws IOException {
        // with a limit of 3, two hops are fine
        String twoHops = "Received: from a\r\nReceived: from b\r\n\tby c; " + DATE + "\r\nX-Received: no\r\n";
        accept(new Submission(envelope("192.0.2.1", "client.example", null, "a@example.net"),
                bytes(twoHops + BODY), "ESMTP", null, null, false));
        refused.clear();
        feedMark = queue.last();
        // three are a loop
        String threeHops = "Received: from a\r\nreceived: from b\r\nRECEIVED: from c\r\n";
        Reply reply = intake.accept(new Submission(envelope("192.0.2.1", "client.example", null, "a@example.net"),
                bytes(threeHops + BODY), "ESMTP", null, null, false));
        assertEquals(554, reply.code());
        assertEquals("5.4.6", reply.status().toString());
        assertEquals(1, queue.list().size());
        assertTrue(events().isEmpty());
    }

    @Test
    void receivedFieldsInTheBodyAreNotHops() {
        String body = "Subject: forwarded\r\n\r\nReceived: a\r\nReceived: b\r\nReceived: c\r\nReceived: d\r\n";
        accept(new Submission(envelope("192.0.2.1", "client.example", null, "a@example.net"),
                bytes(body), "ESMTP", null, null, false));
    }

    @Test
    void aQueuedEventTellsWhatWasQueued() throws IOException {
        QueueId id = accept(new Submission(envelope("192.0.2.1", "client.example", "alice@example.com",
                "a@example.net", "b@example.net"), bytes(BODY), "ESMTPA", null, null, false));
        assertEquals(1, events().size());
        long size = queue.read(id).orElseThrow().content().length;
        assertEquals(new MailEvent.Queued(NOW, id, "sender@example.com", size, 2, "192.0.2.1", "alice@example.com"),
                events().getFirst());
    }

    @Test
    void theQueuedEventCarriesTheTenantStreamTagAndMetadataItWasSentWith() {
        SendContext context = new SendContext("acme", "receipts", "welcome", Map.of("order", "42"));
        accept(new Submission(envelope("192.0.2.1", "client.example", "apikey:abcdefgh", "a@example.net"),
                bytes(BODY), "ESMTPSA", null, null, true, true, context));
        assertEquals(context, ((MailEvent.Queued) events().getFirst()).context());
    }

    @Test
    void theNullSenderIsQueuedAsAnEmptyFrom() {
        Envelope bounce = new Envelope(ReversePath.NULL, List.of(Recipient.of(Address.of("a@example.net"))),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.1", "client.example");
        accept(new Submission(bounce, bytes(BODY), "ESMTP", null, null, false));
        assertEquals("", ((MailEvent.Queued) events().getFirst()).from());
    }

    @Test
    void aQueueThatCannotWriteGives451AndNoEvent() throws IOException {
        queue.close();
        Reply reply = intake.accept(new Submission(envelope("192.0.2.1", "client.example", null, "a@example.net"),
                bytes(BODY), "ESMTP", null, null, false));
        queue = null;
        assertEquals(451, reply.code());
        assertEquals("4.3.0", reply.status().toString());
        assertTrue(events().isEmpty());
    }

    @Test
    void withHoldEveryAcceptedMessageIsStoredHeldAndItsEventSaysSo() throws IOException {
        intake = new Intake(queue, refused::add, clock, new Random(2), "mx.test", 3, domain -> List.of(), null,
                AuthenticationPolicy.ACCEPT_ALL, true, dev.petrel.queue.Arrivals.NONE);
        QueueId id = accept(new Submission(envelope("192.0.2.1", "c.test", null, "x@example.net"), bytes(BODY),
                "ESMTP", null, null, false));
        assertTrue(queue.read(id).orElseThrow().message().held());
        MailEvent.Queued queued = (MailEvent.Queued) events().getLast();
        assertEquals(id, queued.id());
        assertTrue(queued.held());
        assertTrue(stored(id).endsWith(BODY));
    }

    @Test
    void withoutHoldAcceptedMailIsNotHeld() throws IOException {
        QueueId id = accept(new Submission(envelope("192.0.2.1", "c.test", null, "x@example.net"), bytes(BODY),
                "ESMTP", null, null, false));
        assertFalse(queue.read(id).orElseThrow().message().held());
        assertFalse(((MailEvent.Queued) events().getLast()).held());
    }

    // --- DKIM signing at intake

    private static final dev.petrel.mailauth.DkimKey KEY = dev.petrel.mailauth.DkimKey.generate(
            dev.petrel.mail.Domain.parse("example.com"), "s1", dev.petrel.mailauth.DkimAlgorithm.ED25519_SHA256,
            new java.security.SecureRandom());

    private Intake signing() {
        return new Intake(queue, refused::add, clock, new Random(2), "mx.test", 3,
                domain -> domain.name().equals("example.com") ? List.of(KEY) : List.of());
    }

    @Test
    void mailThatStartsHereIsSignedForItsAuthorsDomainOnTop() throws IOException {
        intake = signing();
        String stored = stored(accept(new Submission(envelope("192.0.2.1", "c.test", null, "x@remote.test"),
                bytes(BODY), "ESMTP", null, null, false, true)));
        assertTrue(stored.startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=s1;"),
                stored);
        assertTrue(stored.indexOf("DKIM-Signature") < stored.indexOf("Received:"), stored);
    }

    @Test
    void inboundMailAndAuthorsWithoutKeysAreNotSigned() throws IOException {
        intake = signing();
        String inbound = stored(accept(new Submission(envelope("192.0.2.1", "c.test", null, "x@remote.test"),
                bytes(BODY), "ESMTP", null, null, false, false)));
        assertFalse(inbound.contains("DKIM-Signature"), inbound);
        String otherAuthor = stored(accept(new Submission(envelope("192.0.2.1", "c.test", "u@other.test", "x@remote.test"),
                bytes("From: u@other.test\r\n\r\nbody\r\n"), "ESMTPA", null, null, true)));
        assertFalse(otherAuthor.contains("DKIM-Signature"), otherAuthor);
        String twoFroms = stored(accept(new Submission(envelope("192.0.2.1", "c.test", "a@example.com", "x@remote.test"),
                bytes("From: a@example.com\r\nFrom: b@example.com\r\n\r\nbody\r\n"), "ESMTPA", null, null, true)));
        assertFalse(twoFroms.contains("DKIM-Signature"), "a message with two From fields has no single author");
    }
}
