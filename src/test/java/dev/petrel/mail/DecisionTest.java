package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionTest {

    @Test
    void rejectAndDeferCarryTheirReply() {
        Decision reject = Decision.reject(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "No such user");
        assertEquals(550, assertInstanceOf(Decision.Reject.class, reject).reply().code());
        Decision defer = Decision.defer(451, EnhancedStatus.MAIL_SYSTEM_TRANSIENT, "Try later");
        assertEquals("451 4.3.0 Try later", assertInstanceOf(Decision.Defer.class, defer).reply().summary());
        assertInstanceOf(Decision.Accept.class, Decision.ACCEPT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {250, 354, 421, 450, 499})
    void aRejectionMustBeA5xx(int code) {
        assertThrows(IllegalArgumentException.class, () -> new Decision.Reject(Reply.plain(code, "no")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {250, 354, 500, 550, 554})
    void aDeferralMustBeA4xx(int code) {
        assertThrows(IllegalArgumentException.class, () -> new Decision.Defer(Reply.plain(code, "later")));
    }

    @Test
    void notifyNeverStandsAlone() {
        Address a = Address.of("a@example.com");
        new Recipient(a, Set.of(Recipient.Notify.NEVER), null);
        new Recipient(a, EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE, Recipient.Notify.DELAY), null);
        assertThrows(IllegalArgumentException.class,
                () -> new Recipient(a, EnumSet.of(Recipient.Notify.NEVER, Recipient.Notify.FAILURE), null));
    }

    @Test
    void anEnvelopeHasAtLeastOneRecipientAndKeepsACopy() {
        assertThrows(IllegalArgumentException.class, () -> new Envelope(ReversePath.NULL, List.of(),
                Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, null, "192.0.2.1", "client.test"));
        ArrayList<Recipient> recipients = new ArrayList<>(List.of(Recipient.of(Address.of("a@b.example"))));
        Envelope envelope = new Envelope(ReversePath.NULL, recipients, Envelope.BodyType.SEVEN_BIT, false,
                Envelope.Ret.NONE, null, null, "192.0.2.1", "client.test");
        recipients.add(Recipient.of(Address.of("c@d.example")));
        assertEquals(1, envelope.recipients().size());
    }
}
