package dev.petrel.smtp.client;

import static dev.petrel.smtp.client.Dialogue.ehlo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.RecipientOutcome;
import dev.petrel.mail.Transaction;
import org.junit.jupiter.api.Test;

/** RFC 8689 4.2.1 in the client session alone: what a REQUIRETLS message needs before MAIL, and the MAIL line. */
class RequireTlsSessionTest {

    private static final ClientSettings AUTHENTICATING = Dialogue.SETTINGS.withTls(TlsPolicy.REQUIRE);

    private static Transaction tagged(String sender) {
        return Dialogue.transaction(Dialogue.envelope(sender, "a@remote.test").withRequireTls(true), Dialogue.CONTENT);
    }

    private static Dialogue underTls(ClientSettings settings, Transaction transaction, String... keywords) {
        Dialogue d = Dialogue.with(settings, transaction).server("220 mx.remote.test ESMTP")
                .client("EHLO client.test").server(ehlo("STARTTLS")).client("STARTTLS").server("220 2.0.0 Go");
        assertInstanceOf(Step.StartTls.class, d.last);
        return d.then(d.session.tlsStarted()).client("EHLO client.test").server(ehlo(keywords));
    }

    private static void assertRefused(Step.Close close) {
        RecipientOutcome.Failed failed = assertInstanceOf(RecipientOutcome.Failed.class, close.outcomes().getFirst());
        assertEquals(EnhancedStatus.REQUIRETLS_SUPPORT_REQUIRED, failed.reply().status(), failed.reply()::toString);
        assertEquals(ClientPhase.EHLO, close.phase(), "a host failure: the next MX host is tried");
    }

    @Test
    void mailCarriesRequireTlsOnceTheServerOffersItUnderAuthenticatedTls() {
        underTls(AUTHENTICATING, tagged("sender@petrel.test"), "SIZE 1000", "REQUIRETLS")
                .client("MAIL FROM:<sender@petrel.test> SIZE=" + Dialogue.CONTENT.length + " REQUIRETLS");
    }

    @Test
    void aServerThatDoesNotOfferRequireTlsAfterTheHandshakeIsLeftWithQuit() {
        Dialogue d = underTls(AUTHENTICATING, tagged("sender@petrel.test"), "PIPELINING").client("QUIT");
        assertRefused(d.server("221 Bye").closed());
    }

    @Test
    void withoutStartTlsOrWithAPolicyThatAuthenticatesNothingTheMessageIsNotSent() {
        Dialogue plain = Dialogue.with(AUTHENTICATING, tagged("sender@petrel.test")).server("220 mx ESMTP")
                .client("EHLO client.test").server(ehlo("REQUIRETLS")).client("QUIT");
        assertRefused(plain.server("221 Bye").closed());
        Dialogue opportunistic = Dialogue.with(Dialogue.SETTINGS, tagged("sender@petrel.test"))
                .server("220 mx ESMTP").client("EHLO client.test").server(ehlo("STARTTLS")).client("QUIT");
        assertRefused(opportunistic.server("221 Bye").closed());
    }

    @Test
    void aTaggedNotificationAsksForRequireTlsWhereOfferedAndGoesWhereNot() {
        // RFC 8689 5: from the null path the tag does not stop the notice
        Dialogue.with(Dialogue.SETTINGS.withTls(TlsPolicy.NONE), tagged("")).server("220 mx ESMTP")
                .client("EHLO client.test").server(ehlo("REQUIRETLS")).client("MAIL FROM:<> REQUIRETLS");
        Dialogue.with(Dialogue.SETTINGS.withTls(TlsPolicy.NONE), tagged("")).server("220 mx ESMTP")
                .client("EHLO client.test").server(ehlo("PIPELINING"))
                .client("MAIL FROM:<>", "RCPT TO:<a@remote.test>", "DATA");
    }
}
