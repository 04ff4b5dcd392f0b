package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the DATA decoder over inputs rich in CR, LF and dots, the octets that matter to it. */
class DataDecoderPropertyTest {

    @Provide
    Arbitrary<String> wireInput() {
        // mostly the octets the decoder cares about, with some plain text and 8-bit octets among them
        Arbitrary<String> raw = Arbitraries.strings().withChars('\r', '\n', '.', '.', 'a', ' ', '\u00e9').ofMaxLength(120);
        Arbitrary<String> ending = Arbitraries.of("", "\r\n.\r\n", "\r\n.\r\nQUIT\r\n", "\n.\n", "\r\n.\n");
        return net.jqwik.api.Combinators.combine(raw, ending).as(String::concat);
    }

    @Provide
    Arbitrary<List<String>> lines() {
        // lines as a client writes them before dot-stuffing: anything but CR and LF
        return Arbitraries.strings().withChars('.', 'a', 'b', ' ', '\u00e9', '\u0000').ofMaxLength(12).list().ofMaxSize(15);
    }

    @Property(tries = 1000)
    void anySplitOfTheInputGivesTheSameResult(@ForAll("wireInput") String input,
                                              @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 7) Integer> pieces) {
        int[] sizes = pieces.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(DataDecoderTest.decode(input, Integer.MAX_VALUE), DataDecoderTest.decode(input, sizes));
    }

    @Property(tries = 1000)
    void outputNeverHasABareCrOrLf(@ForAll("wireInput") String input,
                                   @ForAll @IntRange(min = 1, max = 5) int piece) {
        DataDecoderTest.Decoded decoded = DataDecoderTest.decode(input, piece);
        assertTrue(LineEndings.isNormal(decoded.output().getBytes(StandardCharsets.ISO_8859_1)),
                () -> "bare line break in " + decoded.output().replace("\r", "\\r").replace("\n", "\\n"));
    }

    @Property(tries = 1000)
    void onlyCrlfDotCrlfEndsTheData(@ForAll("wireInput") String input) {
        DataDecoderTest.Decoded decoded = DataDecoderTest.decode(input, Integer.MAX_VALUE);
        String framed = "\r\n" + input;
        int end = framed.indexOf("\r\n.\r\n");
        if (end < 0) {
            assertEquals(false, decoded.done());
            assertEquals(input.length(), decoded.consumed());
        } else {
            // the first CRLF . CRLF is the end; the CRLF before the dot is the one at the end of the last line
            assertEquals(true, decoded.done());
            assertEquals(end + "\r\n.\r\n".length() - 2, decoded.consumed());
        }
    }

    @Property(tries = 1000)
    void decodingUndoesTheClientsDotStuffing(@ForAll("lines") List<String> lines,
                                             @ForAll @IntRange(min = 1, max = 9) int piece) {
        StringBuilder content = new StringBuilder();
        StringBuilder wire = new StringBuilder();
        for (String line : lines) {
            content.append(line).append("\r\n");
            // RFC 5321 4.5.2: the client doubles a leading dot
            wire.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        wire.append(".\r\n");
        DataDecoderTest.Decoded decoded = DataDecoderTest.decode(wire.toString(), piece);
        assertTrue(decoded.done());
        assertEquals(wire.length(), decoded.consumed());
        assertEquals(content.toString(), decoded.output());
    }
}
