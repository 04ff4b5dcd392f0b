package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 7208 7 macro expansion and CIDR lengths, the cases the fuzzer found; SpfCheckerTest covers the rest against a real DNS. */
class SpfMacrosTest {

    private final SpfMacros macros = new SpfMacros(dev.petrel.fuzz.ZoneResolver.address("192.0.2.3"), "strong-bad@email.example.com",
            "mx.example.org", "email.example.com", d -> "unknown");

    // RFC 7208 7.4's own example
    @Test
    void theRfcExampleExpandsAsTheRfcSays() throws SpfEvaluation.Stop {
        assertEquals("3.2.0.192.in-addr._spf.example.com", macros.expandDomain("%{ir}.%{v}._spf.%{d2}"));
    }

    // found by MailAuthFuzzTest: a DIGIT transformer past int threw NumberFormatException out of check_host
    @Test
    void aDigitTransformerLargerThanAnIntKeepsEveryPart() throws SpfEvaluation.Stop {
        assertEquals("email.example.com", macros.expand("%{d2999999999999999999999999999}"));
        assertEquals("example.com", macros.expand("%{d0002}"));
    }

    @Test
    void aZeroDigitTransformerIsAPermError() {
        SpfEvaluation.Stop stop = assertThrows(SpfEvaluation.Stop.class, () -> macros.expand("%{d000}"));
        assertEquals(SpfResult.Outcome.PERMERROR, stop.outcome);
    }

    // RFC 7208 7.1: DIGIT is ASCII; another script's digit is no transformer
    @Test
    void aNonAsciiDigitIsAPermError() {
        assertThrows(SpfEvaluation.Stop.class, () -> macros.expand("%{d\u0663}"));
    }

    // found by MailAuthFuzzTest: a CIDR length of a hundred digits threw NumberFormatException out of check_host
    @Test
    void aCidrLengthOfManyDigitsIsAPermError() {
        dev.petrel.fuzz.ZoneResolver zone = new dev.petrel.fuzz.ZoneResolver(
                "example.com TXT v=spf1 ip4:192.0.2.0/2488888888888888888888 -all\n"
                + "example.net TXT v=spf1 a:mail.example.net//1280000 -all\nmail.example.net A 192.0.2.3\n");
        SpfChecker checker = new SpfChecker(zone);
        assertEquals(SpfResult.Outcome.PERMERROR,
                checker.check(dev.petrel.fuzz.ZoneResolver.address("192.0.2.3"), "a@example.com", "h.test").outcome());
        assertEquals(SpfResult.Outcome.PERMERROR,
                checker.check(dev.petrel.fuzz.ZoneResolver.address("2001:db8::3"), "a@example.net", "h.test").outcome());
    }
}
