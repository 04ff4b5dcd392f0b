package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.Address;
import dev.petrel.mail.Recipient;
import dev.petrel.mail.Recipient.Notify;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DsnKindTest {

    static Stream<Arguments> notifyValues() {
        return Stream.of(
                // RFC 3461 4.1: without NOTIFY, failures and (at Petrel's discretion) delays, never successes
                Arguments.of(Set.of(), true, true, false),
                // NOTIFY=NEVER: nothing at all
                Arguments.of(Set.of(Notify.NEVER), false, false, false),
                // each listed event, and only those
                Arguments.of(Set.of(Notify.SUCCESS), false, false, true),
                Arguments.of(Set.of(Notify.FAILURE), true, false, false),
                Arguments.of(Set.of(Notify.DELAY), false, true, false),
                Arguments.of(EnumSet.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY), true, true, true));
    }

    @ParameterizedTest(name = "NOTIFY={0}: failure {1}, delay {2}, success {3}")
    @MethodSource("notifyValues")
    void notifyDecidesWhichReportsARecipientGets(Set<Notify> notify, boolean failure, boolean delay, boolean success) {
        Recipient r = new Recipient(Address.of("bob@example.org"), notify, null);
        assertEquals(failure, DsnKind.FAILURE.isWantedBy(r));
        assertEquals(delay, DsnKind.DELAY.isWantedBy(r));
        assertEquals(success, DsnKind.SUCCESS.isWantedBy(r));
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of(Action.FAILED, DsnKind.FAILURE, "failed"),
                Arguments.of(Action.DELAYED, DsnKind.DELAY, "delayed"),
                Arguments.of(Action.DELIVERED, DsnKind.SUCCESS, "delivered"),
                Arguments.of(Action.RELAYED, DsnKind.SUCCESS, "relayed"),
                Arguments.of(Action.EXPANDED, DsnKind.SUCCESS, "expanded"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void eachActionBelongsToOneKindAndIsSpelledAsRfc3464Does(Action action, DsnKind kind, String field) {
        assertEquals(kind, action.kind());
        assertEquals(field, action.fieldValue());
    }
}
