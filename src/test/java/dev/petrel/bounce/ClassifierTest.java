package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.BounceClass;
import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classifier's rules: the table of registered codes, the order of rules, and the rules file's form. */
class ClassifierTest {

    private static final Classifier SHIPPED = Classifier.shipped();

    @ParameterizedTest(name = "{0} without a text known to the rules is {1}")
    @CsvSource({
        // addressing: the address is gone, as a permanent failure only
        "5.1.1, hard", "5.1.2, hard", "5.1.3, hard", "5.1.6, hard", "5.1.10, hard", "4.1.1, soft",
        // mailbox: disabled is gone, full is for now even when permanent
        "5.2.1, hard", "5.2.2, soft", "4.2.2, soft", "5.2.3, content",
        // mail system and network
        "5.3.4, content", "4.3.1, soft", "4.4.1, soft", "4.4.2, soft", "5.4.4, hard", "4.4.7, soft",
        "4.4.5, throttle", "4.5.3, throttle",
        // content and media
        "5.6.0, content", "5.6.7, content", "5.7.7, content",
        // RFC 7372 and after: authentication
        "5.7.20, auth", "5.7.23, auth", "5.7.25, auth", "5.7.26, auth", "5.7.27, auth", "5.7.29, auth",
        "4.7.28, throttle", "5.7.13, hard", "5.7.17, hard",
        // security and policy: refused
        "5.7.1, block", "5.7.0, block", "4.7.0, block", "4.7.650, block",
        // TLS between the servers (Petrel's own 4.7.4 and 4.7.5 when TLS is required) judges no one
        "4.7.4, soft", "4.7.5, soft", "5.7.10, undetermined", "5.7.30, undetermined",
        // what is left: transient is soft, permanent is undetermined
        "4.0.0, soft", "4.5.0, soft", "5.0.0, undetermined", "5.5.1, undetermined", "5.3.0, undetermined",
        "5.4.6, undetermined", "5.1.8, undetermined",
    })
    void theRegisteredCodesHaveAClassOfTheirOwn(String status, String expected) {
        assertEquals(BounceClass.parse(expected), SHIPPED.classify(EnhancedStatus.parse(status), "x"));
    }

    @Test
    void aReplyWithoutAStatusIsTakenAsXZeroZeroOfItsCode() {
        assertEquals(BounceClass.SOFT, SHIPPED.classify(Reply.plain(451, "something odd")));
        assertEquals(BounceClass.UNDETERMINED, SHIPPED.classify(Reply.plain(550, "something odd")));
        assertEquals(BounceClass.HARD, SHIPPED.classify(Reply.plain(550, "User unknown")));
    }

    @Test
    void everyLineOfAReplyIsRead() {
        Reply reply = new Reply(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED,
                List.of("Message refused.", "Your IP is listed at spamhaus."));
        assertEquals(BounceClass.BLOCK, SHIPPED.classify(reply));
        assertEquals(BounceClass.AUTH, SHIPPED.classify(new Reply(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED,
                List.of("Message refused:", "DKIM signature missing"))));
    }

    @Test
    void aFailureWithoutAnyStatusIsClassifiedByItsTextAlone() {
        // as an inbound DSN or a complaint may come
        assertEquals(BounceClass.THROTTLE, SHIPPED.classify(null, "421 too many connections from your IP"));
        assertEquals(BounceClass.UNDETERMINED, SHIPPED.classify(null, "mailbox not found"),
                "a hard text needs a permanent status");
        assertEquals(BounceClass.UNDETERMINED, SHIPPED.classify(null, null));
    }

    @Test
    void hardTextsNeedAPermanentStatus() {
        // a directory that failed says "user unknown" with a 4xx: try again
        assertEquals(BounceClass.SOFT, SHIPPED.classify(new EnhancedStatus(4, 1, 1), "User unknown"));
        assertEquals(BounceClass.HARD, SHIPPED.classify(new EnhancedStatus(5, 1, 1), "User unknown"));
    }

    @Test
    void theOperatorsRulesComeBeforeTheShippedOnes() {
        String text = "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org";
        EnhancedStatus status = new EnhancedStatus(5, 7, 1);
        assertEquals(BounceClass.BLOCK, SHIPPED.classify(status, text));
        Classifier mine = Classifier.withRules(BounceRules.parse("""
                # our partner lists us by mistake: retry rather than give up
                [[rule]]
                class = "soft"
                status = ["5.7.1", "5.7.X"]
                text = 'zen\\.spamhaus'
                """));
        assertEquals(BounceClass.SOFT, mine.classify(status, text));
        assertEquals(BounceClass.BLOCK, mine.classify(new EnhancedStatus(4, 7, 1), text), "its status does not fit");
        assertEquals(BounceClass.HARD, mine.classify(EnhancedStatus.BAD_DESTINATION_MAILBOX, "no such user"));
    }

    @Test
    void textsAreFoundAnywhereWithoutRegardToCase() {
        BounceRule rule = new BounceRule(BounceClass.CONTENT, List.of(), List.of("pdf (files|attachments)"));
        assertTrue(rule.matches(null, "We take no PDF Attachments here"));
        assertFalse(rule.matches(null, "we take no pdfs"));
    }

    @Test
    void statusPatternsFollowRfc3463sForm() {
        assertTrue(StatusPattern.parse("X.7.1").matches(new EnhancedStatus(4, 7, 1)));
        assertTrue(StatusPattern.parse("5.x.X").matches(new EnhancedStatus(5, 3, 4)));
        assertFalse(StatusPattern.parse("5.7.1").matches(new EnhancedStatus(5, 7, 10)));
        assertFalse(StatusPattern.parse("5.7.1").matches(null));
        assertEquals("X.7.1", StatusPattern.parse("x.7.1").toString());
        for (String bad : new String[] {"5.7", "3.1.1", "5.1.1234", "a.b.c", "5.1.1 ", ""}) {
            assertThrows(IllegalArgumentException.class, () -> StatusPattern.parse(bad), bad);
        }
    }

    @Test
    void theShippedRulesLoadAndEndWithTheTableOfCodes() {
        List<BounceRule> rules = Classifier.shippedRules();
        assertTrue(rules.size() > 10, rules::toString);
        BounceRule last = rules.getLast();
        assertEquals(BounceClass.SOFT, last.bounceClass());
        assertEquals(List.of(StatusPattern.parse("4.X.X")), last.statuses());
        assertTrue(last.texts().isEmpty());
    }
}
