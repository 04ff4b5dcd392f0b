package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.Address;
import dev.petrel.mail.SendContext;
import dev.petrel.web.SendOutcome.RecipientResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission steps one after the other: what the first refuses the second never sees, and a limit stops both. */
class AdmissionTest {

    private static final Address A = Address.of("a@remote.test");
    private static final Address B = Address.of("b@remote.test");
    private static final RecipientResult.Refused SUPPRESSED = new RecipientResult.Refused("a@remote.test",
            SendOutcome.Refusal.SUPPRESSED, "Recipient suppressed: hard bounce on 2026-11-28");

    private final List<List<Address>> asked = new ArrayList<>();
    private final Admission refusesA = (key, context, to) -> new Admission.Verdict.Admitted(
            to.contains(A) ? Map.of(A, SUPPRESSED) : Map.of());
    private final Admission recording = (key, context, to) -> {
        asked.add(List.copyOf(to));
        return new Admission.Verdict.Admitted(Map.of());
    };

    @Test
    void theNextStepIsAskedOnlyOfTheRecipientsLeft() {
        Admission.Verdict v = refusesA.then(recording).admit(null, SendContext.EMPTY, List.of(A, B));
        assertEquals(Map.of(A, SUPPRESSED), assertInstanceOf(Admission.Verdict.Admitted.class, v).refused());
        assertEquals(List.of(List.of(B)), asked);
    }

    @Test
    void whenNoRecipientIsLeftTheNextStepIsNotAsked() {
        Admission.Verdict v = refusesA.then(recording).admit(null, SendContext.EMPTY, List.of(A));
        assertEquals(Map.of(A, SUPPRESSED), assertInstanceOf(Admission.Verdict.Admitted.class, v).refused());
        assertEquals(List.of(), asked, "a message with every recipient suppressed costs no part of a rate");
    }

    @Test
    void aLimitInEitherStepIsTheAnswer() {
        Admission limited = (key, context, to) -> new Admission.Verdict.Limited("over", Duration.ofSeconds(3));
        assertInstanceOf(Admission.Verdict.Limited.class, refusesA.then(limited).admit(null, SendContext.EMPTY,
                List.of(A, B)));
        assertInstanceOf(Admission.Verdict.Limited.class, limited.then(recording).admit(null, SendContext.EMPTY,
                List.of(B)));
        assertEquals(List.of(), asked);
    }
}
