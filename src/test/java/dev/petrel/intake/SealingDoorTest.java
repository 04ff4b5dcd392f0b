package dev.petrel.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.Envelope;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.ReversePath;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.mailauth.DkimKeys;
import dev.petrel.queue.Door;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The door that seals aliases' copies: what it hands on, sealed or not, and what it says in the log. */
class SealingDoorTest {

    private static final Domain FWD = Domain.parse("fwd.test");
    private static final DkimKey KEY = DkimKey.generate(FWD, "arc1", DkimAlgorithm.RSA_SHA256, new SecureRandom());
    private static final byte[] HEAD = "Delivered-To: list@fwd.test\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARRIVED = ("Authentication-Results: mx.fwd.test; spf=pass smtp.mailfrom=a.test;\r\n"
            + "\tdkim=none;\r\n\tarc=none\r\nFrom: a@a.test\r\nSubject: hi\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final List<String> handed = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Door intake = (envelope, head, body) -> {
        handed.add(new String(head, StandardCharsets.UTF_8));
        assertArrayEquals(ARRIVED, body, "the body is handed on as it was sealed");
        return QueueId.generate(1, new java.util.Random(1));
    };

    private static final Envelope ENVELOPE = new Envelope(ReversePath.of(Address.of("a@a.test")),
            List.of(Recipient.of(Address.of("bob@dest.test"))), Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE,
            null, null, "local", null);

    private SealingDoor door(DkimKeys keys) {
        return new SealingDoor(intake, keys, "mx.fwd.test", Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"),
                ZoneOffset.UTC), log::add);
    }

    @Test
    void aForwardOfMailFromElsewhereIsSealedOnTopOfTheHeadIntakeWasGiven() throws Exception {
        door(d -> d.equals(FWD) ? List.of(KEY) : List.of()).forward(ENVELOPE, FWD, HEAD, ARRIVED);
        String head = handed.getFirst();
        assertTrue(head.startsWith("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=fwd.test; s=arc1; t=1796644800;"), head);
        assertTrue(head.endsWith("ARC-Authentication-Results: i=1; mx.fwd.test; spf=pass smtp.mailfrom=a.test;\r\n"
                + "\tdkim=none;\r\n\tarc=none\r\nDelivered-To: list@fwd.test\r\n"), head);
        assertEquals(List.of(), log);
    }

    @Test
    void withoutAKeyTheCopyLeavesUnsealedAndTheLogSaysSoOncePerDomain() throws Exception {
        SealingDoor door = door(DkimKeys.NONE);
        door.forward(ENVELOPE, FWD, HEAD, ARRIVED);
        door.forward(ENVELOPE, FWD, HEAD, ARRIVED);
        door.forward(ENVELOPE, Domain.parse("other.test"), HEAD, ARRIVED);
        assertEquals(List.of(new String(HEAD, StandardCharsets.US_ASCII)), handed.stream().distinct().toList());
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.getFirst().startsWith("arc=unsealed domain=fwd.test reason="), log.getFirst());
    }

    @Test
    void bouncesAndCopiesThatStayAreHandedOnUntouched() throws Exception {
        door(d -> List.of(KEY)).enqueue(ENVELOPE, HEAD, ARRIVED);
        assertEquals(List.of(new String(HEAD, StandardCharsets.US_ASCII)), handed);
    }
}
