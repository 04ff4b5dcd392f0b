package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.petrel.mail.Envelope;
import dev.petrel.mail.Recipient;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ParametersTest {

    @Test
    void requireTlsInClearTextIsRefusedAsEncryptionNeeded() {
        // RFC 8689 2 and RFC 3207 4: 530, with RFC 5248's X.7.10 "Encryption Needed"
        Refusal refusal = assertThrows(Refusal.class, () -> Parameters.parseMail("SIZE=10 REQUIRETLS", false));
        assertEquals("530 5.7.10", refusal.reply().code() + " " + refusal.reply().status());
    }

    @Test
    void noMailParametersMeanSevenBitWithoutDsnOrSize() throws Refusal {
        Parameters.Mail mail = Parameters.parseMail("", true);
        assertEquals(new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, false), mail);
    }

    static Stream<Arguments> validMailParameters() {
        return Stream.of(
                // RFC 1870 SIZE
                Arguments.of("SIZE=1000", new Parameters.Mail(1000, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, false)),
                Arguments.of("size=0", new Parameters.Mail(0, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, false)),
                // RFC 1652 BODY, values in any case
                Arguments.of("BODY=8BITMIME", new Parameters.Mail(-1, Envelope.BodyType.EIGHT_BIT_MIME, false, Envelope.Ret.NONE, null, false)),
                Arguments.of("body=8bitmime", new Parameters.Mail(-1, Envelope.BodyType.EIGHT_BIT_MIME, false, Envelope.Ret.NONE, null, false)),
                Arguments.of("BODY=7BIT", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, false)),
                // RFC 6531 SMTPUTF8 has no value
                Arguments.of("SMTPUTF8", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, true, Envelope.Ret.NONE, null, false)),
                // RFC 3461 RET and ENVID (xtext, "+" and two uppercase hex digits)
                Arguments.of("RET=FULL", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.FULL, null, false)),
                Arguments.of("ret=hdrs", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.HDRS, null, false)),
                Arguments.of("ENVID=QQ314159", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, "QQ314159", false)),
                Arguments.of("ENVID=a+2Bb+3Dc", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, "a+2Bb+3Dc", false)),
                Arguments.of("ENVID=" + "x".repeat(100), new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, "x".repeat(100), false)),
                // RFC 4954 5 AUTH= is accepted and ignored
                Arguments.of("AUTH=<>", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, false)),
                // RFC 8689 REQUIRETLS, under TLS, has no value
                Arguments.of("REQUIRETLS", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, false, Envelope.Ret.NONE, null, true)),
                Arguments.of("requiretls SMTPUTF8", new Parameters.Mail(-1, Envelope.BodyType.SEVEN_BIT, true, Envelope.Ret.NONE, null, true)),
                // all of them at once, separated by one or more spaces
                Arguments.of("SIZE=42 BODY=8BITMIME  SMTPUTF8 RET=HDRS ENVID=id1",
                        new Parameters.Mail(42, Envelope.BodyType.EIGHT_BIT_MIME, true, Envelope.Ret.HDRS, "id1", false)));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("validMailParameters")
    void validMailParametersAreParsed(String text, Parameters.Mail expected) throws Refusal {
        assertEquals(expected, Parameters.parseMail(text, true));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # unknown parameters: RFC 5321 4.1.1.11 555
            FOO=bar                     | 555 | 5.5.4
            XYZ                         | 555 | 5.5.4
            NOTIFY=NEVER                | 555 | 5.5.4
            # BINARYMIME is not offered (RFC 3030 3), nor is any other body type
            BODY=BINARYMIME             | 501 | 5.5.4
            BODY=9BIT                   | 501 | 5.5.4
            BODY                        | 501 | 5.5.4
            # a parameter given twice, in any case
            SIZE=1 SIZE=2               | 501 | 5.5.4
            SIZE=1 size=1               | 501 | 5.5.4
            SMTPUTF8 SMTPUTF8           | 501 | 5.5.4
            # SIZE is a number of up to 18 digits
            SIZE                        | 501 | 5.5.4
            SIZE=                       | 501 | 5.5.4
            SIZE=abc                    | 501 | 5.5.4
            SIZE=-1                     | 501 | 5.5.4
            SIZE=1234567890123456789    | 501 | 5.5.4
            # SMTPUTF8 takes no value
            SMTPUTF8=yes                | 501 | 5.5.4
            # RET is FULL or HDRS
            RET=NONE                    | 501 | 5.5.4
            RET                         | 501 | 5.5.4
            # ENVID is xtext of at most 100 characters: "+" needs two uppercase hex digits
            ENVID=                      | 501 | 5.5.4
            ENVID=a+2b                  | 501 | 5.5.4
            ENVID=a+                    | 501 | 5.5.4
            ENVID=a+G0                  | 501 | 5.5.4
            ENVID=a=b                   | 501 | 5.5.4
            # keywords are letters, digits and inner hyphens
            =x                          | 501 | 5.5.4
            SI_ZE=1                     | 501 | 5.5.4
            -X=1                        | 501 | 5.5.4
            # AUTH= needs a value
            AUTH                        | 501 | 5.5.4
            # REQUIRETLS takes no value (RFC 8689 2), and is asked for once
            REQUIRETLS=yes              | 501 | 5.5.4
            REQUIRETLS REQUIRETLS       | 501 | 5.5.4
            """)
    void badMailParametersAreRefused(String text, int code, String status) {
        Refusal refusal = assertThrows(Refusal.class, () -> Parameters.parseMail(text, true));
        assertEquals(code, refusal.reply().code());
        assertEquals(status, refusal.reply().status().toString());
    }

    @Test
    void envidLongerThan100IsRefused() {
        Refusal refusal = assertThrows(Refusal.class, () -> Parameters.parseMail("ENVID=" + "x".repeat(101), true));
        assertEquals(501, refusal.reply().code());
    }

    @Test
    void nonAsciiParameterValuesAreRefused() {
        Refusal refusal = assertThrows(Refusal.class, () -> Parameters.parseMail("ENVID=jösé", true));
        assertEquals(501, refusal.reply().code());
    }

    static Stream<Arguments> validRcptParameters() {
        return Stream.of(
                // no parameters
                Arguments.of("", new Parameters.Rcpt(Set.of(), null)),
                // RFC 3461 4.1 NOTIFY: NEVER, or a list of SUCCESS, FAILURE, DELAY, in any case
                Arguments.of("NOTIFY=NEVER", new Parameters.Rcpt(Set.of(Recipient.Notify.NEVER), null)),
                Arguments.of("NOTIFY=SUCCESS", new Parameters.Rcpt(Set.of(Recipient.Notify.SUCCESS), null)),
                Arguments.of("notify=failure,delay", new Parameters.Rcpt(
                        EnumSet.of(Recipient.Notify.FAILURE, Recipient.Notify.DELAY), null)),
                Arguments.of("NOTIFY=SUCCESS,FAILURE,DELAY", new Parameters.Rcpt(
                        EnumSet.of(Recipient.Notify.SUCCESS, Recipient.Notify.FAILURE, Recipient.Notify.DELAY), null)),
                // RFC 3461 4.2 ORCPT: addr-type ";" xtext, kept as given
                Arguments.of("ORCPT=rfc822;user+40example.com", new Parameters.Rcpt(Set.of(), "rfc822;user+40example.com")),
                Arguments.of("ORCPT=utf-8;user@example.com", new Parameters.Rcpt(Set.of(), "utf-8;user@example.com")),
                // both
                Arguments.of("NOTIFY=FAILURE ORCPT=rfc822;a@b.example",
                        new Parameters.Rcpt(Set.of(Recipient.Notify.FAILURE), "rfc822;a@b.example")));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("validRcptParameters")
    void validRcptParametersAreParsed(String text, Parameters.Rcpt expected) throws Refusal {
        assertEquals(expected, Parameters.parseRcpt(text));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # NEVER stands alone (RFC 3461 4.1)
            NOTIFY=NEVER,SUCCESS             | 501
            NOTIFY=FAILURE,NEVER             | 501
            # only the four known values, each once, no empty item
            NOTIFY=                          | 501
            NOTIFY                           | 501
            NOTIFY=SOMETIMES                 | 501
            NOTIFY=SUCCESS,SUCCESS           | 501
            NOTIFY=SUCCESS,                  | 501
            # ORCPT needs an addr-type, a semicolon and valid xtext
            ORCPT=user@example.com           | 501
            ORCPT=;user@example.com          | 501
            ORCPT=rfc822;user+4              | 501
            ORCPT=rfc 822;x                  | 501
            # duplicates
            NOTIFY=NEVER NOTIFY=NEVER        | 501
            # MAIL parameters are unknown on RCPT
            SIZE=100                         | 555
            BODY=8BITMIME                    | 555
            """)
    void badRcptParametersAreRefused(String text, int code) {
        Refusal refusal = assertThrows(Refusal.class, () -> Parameters.parseRcpt(text));
        assertEquals(code, refusal.reply().code());
        assertEquals("5.5.4", refusal.reply().status().toString());
    }

    @Test
    void anEmptyParameterListHasNoNotifyAndNoOrcpt() throws Refusal {
        Parameters.Rcpt rcpt = Parameters.parseRcpt("   ");
        assertEquals(Set.of(), rcpt.notifyOn());
        assertNull(rcpt.orcpt());
    }

    // found by SmtpFuzzTest: a control character in a bad keyword was quoted into the reply, whose text may not
    // hold a CR or LF, so building the refusal threw
    @Test
    void aBadKeywordIsQuotedWithoutItsControlCharacters() {
        Refusal refusal = assertThrows(Refusal.class, () -> Parameters.parseMail("TH\u0001\n8", true));
        assertEquals(501, refusal.reply().code());
        assertEquals("Bad parameter syntax: TH??8", refusal.reply().lines().getFirst());
    }
}
