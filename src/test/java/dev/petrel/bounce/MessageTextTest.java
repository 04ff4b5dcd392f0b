package dev.petrel.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MessageTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // CRLF stays, bare LF and bare CR become CRLF, a missing final line end is added
            "a\\r\\nb\\r\\n | a\\r\\nb\\r\\n",
            "a\\nb\\n     | a\\r\\nb\\r\\n",
            "a\\rb\\r     | a\\r\\nb\\r\\n",
            "a\\r\\r\\nb   | a\\r\\n\\r\\nb\\r\\n",
            "a           | a\\r\\n",
    })
    void lineEndsBecomeCrlf(String in, String out) {
        assertEquals(unescape(out), new String(MessageText.withCrlf(bytes(unescape(in))), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // the header section ends before the first empty line
            "A: 1\\r\\nB: 2\\r\\n\\r\\nbody\\r\\n | A: 1\\r\\nB: 2\\r\\n",
            // a message without a body is all header
            "A: 1\\r\\n                       | A: 1\\r\\n",
            // a message without a header section
            "\\r\\nbody\\r\\n                 | ''",
    })
    void headerSectionEndsAtTheFirstEmptyLine(String in, String out) {
        assertEquals(unescape(out), new String(MessageText.headerSection(bytes(unescape(in))), StandardCharsets.US_ASCII));
    }

    static Stream<Arguments> xtext() {
        return Stream.of(
                Arguments.of("plain", Optional.of("plain")),
                Arguments.of("a+2Bb+3Dc", Optional.of("a+b=c")),
                Arguments.of("sp+20ace", Optional.of("sp ace")),
                // not printable ASCII once decoded, or not xtext: nothing
                Arguments.of("cr+0D", Optional.empty()),
                Arguments.of("hi+C3+A9", Optional.empty()),
                Arguments.of("cut+2", Optional.empty()),
                Arguments.of("bad+ZZ", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("xtext")
    void xtextDecodesToPrintableAsciiOrNothing(String in, Optional<String> out) {
        assertEquals(out, Xtext.decodePrintable(in));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // RFC 6533 3: QCHAR stays; "+", "=", "\" and non-ASCII become \x{HEX}
            "bob@example.org | bob@example.org",
            "josé@example.org | jos\\x{E9}@example.org",
            "a+b=c@x.org | a\\x{2B}b\\x{3D}c@x.org",
            "日本@x.org | \\x{65E5}\\x{672C}@x.org",
            "😀@x.org | \\x{1F600}@x.org",
    })
    void utf8AddressesEncodeAsRfc6533Xtext(String in, String out) {
        assertEquals(out, Xtext.encodeUtf8Address(in));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "short value | 1",
            "long value that goes on and on past the seventy-eight character limit of RFC 5322 section 2.1.1 | 2",
    })
    void fieldsFoldAtSpaces(String value, int lines) {
        String field = MessageText.field("X-Test", value);
        assertEquals(lines, field.split("\r\n").length);
        assertEquals("X-Test: " + value, field.replace("\r\n\t", " ").strip());
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
