package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.petrel.mail.Address;
import dev.petrel.mail.BounceAddresses;
import dev.petrel.mail.Domain;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.SendContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/**
 * Jazzer fuzz tests of what Petrel reads from strangers on the bounce domain: the reports receivers send back
 * (DSNs, RFC 3464; ARF, RFC 5965) and the bounce addresses themselves. {@code bin/test} runs them on their seed
 * inputs (src/test/resources/dev/petrel/bounce/ReportFuzzTestInputs/). Correct means: never an exception, every
 * report read has what its RFC requires, and no input but one Petrel made is a valid bounce address.
 */
class ReportFuzzTest {

    private static final BounceAddresses BOUNCES = new BounceAddresses(Domain.parse("bounce.test"),
            "fuzzing secret, 32 octets long..".getBytes(StandardCharsets.US_ASCII));

    @FuzzTest(maxDuration = "60s")
    void reportsAreReadOrRefusedWithoutFailing(byte[] input) {
        ReportParser.parse(input).ifPresent(r -> {
            switch (r) {
                case InboundReport.DeliveryReport d -> {
                    assertFalse(d.recipients().isEmpty());
                    d.recipients().forEach(s -> {
                        assertNotNull(s.finalRecipient());
                        assertNotNull(s.status());
                        assertEquals(s.action(), s.action().strip());
                    });
                }
                case InboundReport.Complaint c -> assertNotNull(c.feedbackType());
            }
            assertNotNull(r.original());
        });
    }

    @FuzzTest(maxDuration = "60s")
    void onlyAddressesMadeHereAreValidBounceAddresses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Address a;
        try {
            a = Address.parse(text + "@bounce.test", true);
        } catch (IllegalArgumentException e) {
            return;
        }
        BOUNCES.verify(a).ifPresent(v -> assertTrue(v.perRecipient()
                ? a.localPart().equalsIgnoreCase(BOUNCES.forRecipient(v, v.recipient()).localPart())
                : a.localPart().contains("-m-"), "a forged address held: " + a));
        // and what is made always verifies, whatever the queue id and index
        QueueId id = QueueId.generate(Math.abs((long) text.hashCode()) * 1000, new Random(input.length));
        BounceAddresses.Verp message = BOUNCES.verify(BOUNCES.forMessage(id, new SendContext(
                "t" + (input.length % 7), null, null, Map.of()))).orElseThrow();
        assertTrue(BOUNCES.verify(BOUNCES.forRecipient(message, input.length)).isPresent());
    }
}
