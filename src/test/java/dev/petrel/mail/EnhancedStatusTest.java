package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnhancedStatusTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # the three classes of RFC 3463 2
            2.0.0,     2, 0,   0
            4.4.2,     4, 4,   2
            5.1.1,     5, 1,   1
            # subject and detail have up to three digits
            5.7.11,    5, 7,   11
            4.999.999, 4, 999, 999
            """)
    void validCodesParseIntoTheirParts(String text, int statusClass, int subject, int detail) {
        EnhancedStatus status = EnhancedStatus.parse(text);
        assertEquals(new EnhancedStatus(statusClass, subject, detail), status);
        assertEquals(text, status.toString());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // the class is 2, 4 or 5 only
            "0.0.0", "1.0.0", "3.0.0", "6.0.0",
            // three dotted parts, no more, no fewer
            "", "5", "5.1", "5.1.1.1", "5..1", "5.1.",
            // digits only, at most three of them
            "5.a.1", "x.1.1", "5.1000.1", "5.1.1000", "5.-1.1",
    })
    void malformedCodesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> EnhancedStatus.parse(text));
    }

    @Test
    void withClassKeepsSubjectAndDetail() {
        assertEquals(EnhancedStatus.parse("4.1.1"), EnhancedStatus.BAD_DESTINATION_MAILBOX.withClass(4));
        assertThrows(IllegalArgumentException.class, () -> EnhancedStatus.OTHER_UNDEFINED.withClass(3));
    }

    @Test
    void constantsMatchTheirRfcCodes() {
        assertEquals("5.1.1", EnhancedStatus.BAD_DESTINATION_MAILBOX.toString());
        assertEquals("5.7.1", EnhancedStatus.DELIVERY_NOT_AUTHORIZED.toString());
        assertEquals("5.6.7", EnhancedStatus.NON_ASCII_NOT_PERMITTED.toString());
        assertEquals("4.5.3", EnhancedStatus.TOO_MANY_RECIPIENTS.toString());
        assertEquals("5.7.8", EnhancedStatus.AUTH_CREDENTIALS_INVALID.toString());
        assertEquals("5.3.4", EnhancedStatus.MESSAGE_TOO_BIG.toString());
    }
}
