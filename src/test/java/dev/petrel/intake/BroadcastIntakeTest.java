package dev.petrel.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.compliance.UnsubscribeLinks;
import dev.petrel.compliance.UnsubscribeToken;
import dev.petrel.compliance.UnsubscribeTokens;
import dev.petrel.mail.Address;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.mail.TenantId;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.StoredMessage;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import dev.petrel.tenant.Tenant;
import dev.petrel.tenant.Tenants;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intake and broadcast mail: one message per recipient, each with its own link in its fields and body. */
class BroadcastIntakeTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final TenantId ACME = new TenantId("acme");
    private static final Pattern LINK = Pattern.compile("List-Unsubscribe: <https://u\\.test/unsubscribe/([^>]+)>\r\n"
            + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(new byte[32], clock);
    private JournalQueueStore queue;
    private Intake intake;

    // only the methods intake's links call answer: a stream's kind, a tenant's identification
    @SuppressWarnings("unchecked")
    private static <T> T only(Class<T> role, String method, Object answer) {
        return (T) Proxy.newProxyInstance(role.getClassLoader(), new Class<?>[] {role}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return answer instanceof java.util.function.Function<?, ?> f
                        ? ((java.util.function.Function<Object[], Object>) f).apply(args) : answer;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @BeforeEach
    void open() throws IOException {
        queue = JournalQueueStore.open(dir.resolve("queue"), clock, new Random(1),
                JournalQueueStore.DEFAULT_SEGMENT_SIZE);
        java.util.function.Function<Object[], Object> stream = args -> Optional.of(Stream.of(ACME, (String) args[1],
                args[1].equals("news") ? Stream.Kind.BROADCAST : Stream.Kind.TRANSACTIONAL, null, null, NOW));
        UnsubscribeLinks links = new UnsubscribeLinks(tokens, only(Streams.class, "stream", stream),
                only(Tenants.class, "tenant", Optional.of(new Tenant(ACME, "Acme, 1 Main St", NOW))), "https://u.test");
        intake = new Intake(queue, e -> { }, clock, new Random(2), "mx.test", 30, dev.petrel.mailauth.DkimKeys.NONE,
                null, AuthenticationPolicy.ACCEPT_ALL, false, dev.petrel.queue.Arrivals.NONE, 0, TenantMail.NONE, links);
    }

    @AfterEach
    void close() throws IOException {
        queue.close();
    }

    private Intake.Receipt send(String stream, String... to) {
        Envelope env = new Envelope(ReversePath.of(Address.of("news@acme.test")),
                java.util.Arrays.stream(to).map(a -> Recipient.of(Address.of(a))).toList(), Envelope.BodyType.SEVEN_BIT,
                false, Envelope.Ret.NONE, null, "key", "192.0.2.1", null);
        byte[] content = "From: news@acme.test\r\nSubject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII);
        return intake.queue(new Submission(env, content, "HTTP", null, null, true, true,
                new SendContext("acme", stream, null, Map.of())));
    }

    @Test
    void broadcastMailIsQueuedOnceForEachRecipientWithItsOwnLink() throws IOException {
        Intake.Receipt.Queued q = assertInstanceOf(Intake.Receipt.Queued.class,
                send("news", "a@r.test", "b@r.test", "c@r.test"));
        assertEquals(3, q.ids().size());
        assertEquals(q.ids().getFirst(), q.id());
        assertTrue(q.reply().lines().getFirst().endsWith("(one message per recipient, 3 in all)"), q.reply()::toString);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            QueueId id = q.ids().get(i);
            StoredMessage m = queue.read(id).orElseThrow();
            String to = List.of("a@r.test", "b@r.test", "c@r.test").get(i);
            assertEquals(List.of(to), m.message().envelope().recipients().stream().map(r -> r.address().toString())
                    .toList());
            String text = new String(m.content(), StandardCharsets.UTF_8);
            Matcher link = LINK.matcher(text);
            assertTrue(link.find(), text);
            UnsubscribeToken token = tokens.read(link.group(1)).orElseThrow();
            assertEquals(new UnsubscribeToken(ACME, "news", Address.of(to), id.value(), token.issued()), token);
            List<String> shown = new ArrayList<>();
            dev.petrel.mail.TextParts.edit(m.content(), (type, t) -> {
                shown.add(t);
                return t;
            });
            assertEquals(List.of("Hello\r\n\r\n-- \r\nAcme, 1 Main St\r\nUnsubscribe: https://u.test/unsubscribe/"
                    + link.group(1) + "\r\n"), shown, text);
            seen.add(link.group(1));
        }
        assertEquals(3, seen.stream().distinct().count());
    }

    @Test
    void transactionalMailIsOneMessageWithoutLinks() throws IOException {
        Intake.Receipt.Queued q = assertInstanceOf(Intake.Receipt.Queued.class, send("receipts", "a@r.test", "b@r.test"));
        assertEquals(List.of(q.id()), q.ids());
        StoredMessage m = queue.read(q.id()).orElseThrow();
        assertEquals(2, m.message().envelope().recipients().size());
        String text = new String(m.content(), StandardCharsets.UTF_8);
        assertFalse(text.contains("List-Unsubscribe"), text);
        assertTrue(text.endsWith("\r\n\r\nHello\r\n"), text);
    }
}
