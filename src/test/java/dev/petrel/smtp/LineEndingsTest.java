package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineEndingsTest {

    private static byte[] bytes(String s) {
        return s.replace("<CR>", "\r").replace("<LF>", "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # CRLF already: unchanged
            a<CR><LF>b<CR><LF>       | a<CR><LF>b<CR><LF>       | true
            no line break            | no line break            | true
            ''                       | ''                       | true
            # a bare LF becomes CRLF
            a<LF>b                   | a<CR><LF>b               | false
            <LF><LF>                 | <CR><LF><CR><LF>         | false
            # a bare CR becomes CRLF
            a<CR>b                   | a<CR><LF>b               | false
            a<CR>                    | a<CR><LF>                | false
            a<CR><CR><LF>b           | a<CR><LF><CR><LF>b       | false
            # LF CR is two line breaks, not one
            a<LF><CR>b               | a<CR><LF><CR><LF>b       | false
            """)
    void everyLineBreakBecomesCrlf(String input, String expected, boolean alreadyNormal) {
        byte[] in = bytes(input);
        assertEquals(alreadyNormal, LineEndings.isNormal(in));
        byte[] out = LineEndings.normalize(in);
        assertArrayEquals(bytes(expected), out);
        if (alreadyNormal) {
            assertSame(in, out);
        }
    }

    @Property(tries = 500)
    void normalizedBytesAreNormalAndStayTheSame(
            @ForAll @Chars({'\r', '\n', 'a', '.'}) @StringLength(max = 60) String input) {
        byte[] once = LineEndings.normalize(input.getBytes(StandardCharsets.US_ASCII));
        assertTrue(LineEndings.isNormal(once));
        assertArrayEquals(once, LineEndings.normalize(once));
        // the text between line breaks is untouched
        String text = new String(once, StandardCharsets.US_ASCII);
        assertEquals(input.replace("\r", "").replace("\n", ""), text.replace("\r\n", ""));
    }
}
