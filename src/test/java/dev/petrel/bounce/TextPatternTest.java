package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The words a text pattern requires, which let a text without them pass without running the expression. */
class TextPatternTest {

    @ParameterizedTest(name = "{0} requires \"{1}\"")
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
            # plain words, and the case of ASCII letters folded
            rate limit                      => rate limit
            Spamhaus                        => spamhaus
            \\bSPF\\b                       => spf
            # up to what is not plain: a group, a class, any character
            too many (connections|sessions) => "too many "
            doesn.t exist                   => doesn
            b\\.barracudacentral\\.org      => b.barracudacentral.org
            # a character that a quantifier makes optional is not required; one with + is, once
            user ?unknown                   => user
            messages? per connection        => message
            \\bOFR_?(506|999)               => ofr
            spam+er                         => spam
            # too short, or nothing required at the start
            ab                              => ""
            \\b(RBL|DNSBL)s?\\b             => ""
            (mailbox|account) disabled      => ""
            [Mm]ailbox full                 => ""
            (?i)quota                       => ""
            \\Qa.b\\E                       => ""
            # an alternative at the top: neither side is required
            quota exceeded|mailbox full     => ""
            mailbox (is )?full|over quota   => ""
            """)
    void theWordsEveryMatchHolds(String regex, String literal) {
        assertEquals(literal, TextPattern.requiredLiteral(regex));
    }

    @Test
    void aTextWithoutTheWordsIsPassedOverAndOneWithThemIsMatched() {
        TextPattern p = TextPattern.compile("rate limit(ed)? due to");
        String found = "451 4.7.650 The mail server has been temporarily RATE LIMITED due to IP reputation";
        assertTrue(p.foundIn(found, TextPattern.fold(found)));
        String words = "rate limit only, not the rest";
        assertFalse(p.foundIn(words, TextPattern.fold(words)), "the words alone are not a match");
        String other = "550 5.1.1 no such user";
        assertFalse(p.foundIn(other, TextPattern.fold(other)));
    }

    @Test
    void foldingMakesOnlyAsciiCapitalsSmall() {
        assertEquals("boîte pleine ÉtÉ", TextPattern.fold("BOîTE Pleine ÉTÉ"));
        String same = "already small";
        assertTrue(same == TextPattern.fold(same), "a text without capitals is not copied");
    }
}
