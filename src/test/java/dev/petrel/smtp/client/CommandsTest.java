package dev.petrel.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // RFC 3461 4: valid xtext passes as it is (the server keeps ENVID and ORCPT encoded)
            "abc|abc",
            "a+2Bb|a+2Bb",
            // anything else is encoded: space, "=", "+" not followed by two upper-case hex digits, UTF-8
            "a b|a+20b",
            "a=b|a+3Db",
            "a+b|a+2Bb",
            "a+2b|a+2B2b",
            "é|+C3+A9"})
    void xtextEncodesOnlyWhatIsNotXtext(String value, String encoded) {
        assertEquals(encoded, Commands.xtext(value));
    }
}
