package dev.petrel.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.smtp.DataDecoder;
import dev.petrel.smtp.LineEndings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The client's side of dot-stuffing, checked against the server's {@link DataDecoder}. */
class DataEncoderTest {

    static String encode(String body) {
        byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
        return new String(DataEncoder.dotStuff(DataEncoder.normalize(raw)), StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> bodiesAndWire() {
        return Stream.of(
                // RFC 5321 4.5.2: a leading period is doubled, others stay
                Arguments.of("a\r\n", "a\r\n.\r\n"),
                Arguments.of(".\r\n", "..\r\n.\r\n"),
                Arguments.of("..x\r\n", "...x\r\n.\r\n"),
                Arguments.of("a.b\r\n.c\r\n", "a.b\r\n..c\r\n.\r\n"),
                // every line break becomes CRLF, and the content ends with one
                Arguments.of("a\nb", "a\r\nb\r\n.\r\n"),
                Arguments.of("a\r.b\r\n", "a\r\n..b\r\n.\r\n"),
                Arguments.of("x", "x\r\n.\r\n"),
                Arguments.of("\n.\n", "\r\n..\r\n.\r\n"),
                // an empty message is only the end of data
                Arguments.of("", ".\r\n"));
    }

    @ParameterizedTest
    @MethodSource("bodiesAndWire")
    void contentIsDotStuffedAndEnded(String body, String wire) {
        assertEquals(wire, encode(body));
    }

    @Provide
    Arbitrary<String> bodies() {
        // rich in the octets that matter: CR, LF and dots, with some text and 8-bit octets
        return Arbitraries.strings().withChars('\r', '\n', '.', '.', 'a', ' ', '\u00e9', '\u0000').ofMaxLength(200);
    }

    @Property(tries = 2000)
    void theServersDecoderGivesBackTheNormalizedBody(@ForAll("bodies") String body) {
        byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = DataEncoder.dotStuff(DataEncoder.normalize(raw));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(Long.MAX_VALUE, out::write);
        int used = decoder.feed(wire, 0, wire.length);
        assertTrue(decoder.isDone());
        // the end of data is the last thing written, never earlier
        assertEquals(wire.length, used);
        assertEquals(new String(DataEncoder.normalize(raw), StandardCharsets.ISO_8859_1),
                out.toString(StandardCharsets.ISO_8859_1));
        assertTrue(!decoder.sawBareLineBreak());
    }

    @Property(tries = 1000)
    void normalizedContentHasOnlyCrlfAndEndsWithIt(@ForAll("bodies") String body) {
        byte[] normal = DataEncoder.normalize(body.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(LineEndings.isNormal(normal));
        String text = new String(normal, StandardCharsets.ISO_8859_1);
        assertTrue(text.isEmpty() || text.endsWith("\r\n"));
    }
}
