package dev.petrel.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Reply;
import dev.petrel.mail.ReversePath;
import dev.petrel.mail.SendContext;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.queue.Arrivals;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.mailauth.DkimKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gmail trusts a Feedback-ID only under a DKIM signature of the sender's domain made after it was added
 * (support.google.com/mail/answer/6254652): intake adds it before signing, and dkimpy (python3-dkim) finds the
 * signature good, and bad once the field is changed.
 */
class FeedbackIdSigningTest {

    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void theDkimSignatureCoversFeedbackId() throws Exception {
        DkimKey key = DkimKey.generate(Domain.parse("acme.test"), "s2026", DkimAlgorithm.RSA_SHA256, new SecureRandom());
        DkimKeys keys = domain -> domain.equals(key.domain()) ? List.of(key) : List.of();
        BounceAddresses bounces = new BounceAddresses(Domain.parse("bounce.test"), new byte[32]);
        try (JournalQueueStore queue = JournalQueueStore.open(dir.resolve("queue"), Clock.systemUTC(), new Random(1),
                JournalQueueStore.DEFAULT_SEGMENT_SIZE)) {
            Intake intake = new Intake(queue, e -> { }, Clock.systemUTC(), new Random(2), "mx.test", 50, keys, null,
                    AuthenticationPolicy.ACCEPT_ALL, false, Arrivals.NONE, 0, new TenantMail(bounces, "petrel"));
            Envelope env = new Envelope(ReversePath.of(Address.of("ann@acme.test")),
                    List.of(Recipient.of(Address.of("bob@example.net"))), Envelope.BodyType.SEVEN_BIT, false,
                    Envelope.Ret.NONE, null, "apikey:k1", "127.0.0.1", "client.test");
            byte[] content = "From: ann@acme.test\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nhello\r\n"
                    .getBytes(StandardCharsets.UTF_8);
            Reply reply = intake.accept(new Submission(env, content, "ESMTPSA", null, null, true, true,
                    new SendContext("acme", "news", null, Map.of())));
            assertEquals(250, reply.code(), reply.toString());
            QueueId id = new QueueId(reply.lines().getFirst().substring("Ok: queued as ".length()));
            String stored = new String(queue.read(id).orElseThrow().content(), StandardCharsets.UTF_8);
            assertTrue(stored.startsWith("DKIM-Signature:"), stored);
            assertTrue(stored.contains("Feedback-ID: :news:acme:petrel\r\n"), stored);
            assertEquals(List.of("pass"), dkimpy(stored, key));
            assertEquals(List.of("fail"), dkimpy(stored.replace(":acme:petrel", ":bravo:petrel"), key));
        }
    }

    private List<String> dkimpy(String message, DkimKey key) throws Exception {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        Path json = dir.resolve("records.json");
        new ObjectMapper().writeValue(json.toFile(), Map.of(key.recordName(), key.record()));
        Path script = Path.of("src/test/resources/mailauth/dkim_verify.py").toAbsolutePath();
        Process p = new ProcessBuilder(SYSTEM_PYTHON, script.toString(), file.toString(), json.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dkimpy did not finish in 60 s");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
