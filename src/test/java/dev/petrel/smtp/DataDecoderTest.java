package dev.petrel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DataDecoderTest {

    /** What a decoder made of some input. */
    record Decoded(String output, boolean done, int consumed, boolean overflowed, long size) {}

    /** Feeds the input in pieces of the given sizes (cycling through them), as the network may cut it. */
    static Decoded decode(byte[] input, long maxSize, int... pieceSizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataDecoder decoder = new DataDecoder(maxSize, out::write);
        int offset = 0;
        int consumed = 0;
        int piece = 0;
        while (offset < input.length && !decoder.isDone()) {
            int length = Math.min(pieceSizes[piece++ % pieceSizes.length], input.length - offset);
            int used = decoder.feed(input, offset, length);
            consumed += used;
            if (used < length) {
                // only the end of the data stops the decoder early
                assertTrue(decoder.isDone());
            }
            offset += length;
        }
        return new Decoded(out.toString(StandardCharsets.ISO_8859_1), decoder.isDone(), consumed, decoder.overflowed(),
                decoder.size());
    }

    static Decoded decode(String input, int... pieceSizes) {
        return decode(input.getBytes(StandardCharsets.ISO_8859_1), Long.MAX_VALUE, pieceSizes);
    }

    static Stream<Arguments> inputs() {
        return Stream.of(
                // RFC 5321 4.1.1.4: only CRLF . CRLF ends the data; the start of DATA counts as a CRLF
                Arguments.of("hello\r\n.\r\n", "hello\r\n", true),
                Arguments.of(".\r\n", "", true),
                Arguments.of("\r\n.\r\n", "\r\n", true),
                Arguments.of("a\r\nb\r\n\r\n.\r\n", "a\r\nb\r\n\r\n", true),
                // RFC 5321 4.5.2: a leading dot is removed, the rest of the line stays
                Arguments.of("..\r\n.\r\n", ".\r\n", true),
                Arguments.of("..foo\r\n.\r\n", ".foo\r\n", true),
                Arguments.of("a\r\n...\r\n.\r\n", "a\r\n..\r\n", true),
                Arguments.of(". x\r\n.\r\n", " x\r\n", true),
                Arguments.of("a.b\r\n.c\r\n.\r\n", "a.b\r\nc\r\n", true),
                // SMTP smuggling: a dot line next to a bare LF or bare CR is an empty line, not the end
                Arguments.of("a\n.\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                Arguments.of("a\r\n.\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                Arguments.of("a\n.\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                Arguments.of("a\r.\rb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                Arguments.of("a\r\n.\rb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                Arguments.of("a\r.\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                // after such a line, a real CRLF . CRLF ends the data as usual
                Arguments.of("a\n.\n.\r\n.\r\n", "a\r\n\r\n\r\n", true),
                // bare LF and bare CR end lines as if they were CRLF (Postfix's "normalize")
                Arguments.of("a\nb\r\n.\r\n", "a\r\nb\r\n", true),
                Arguments.of("a\rb\r\n.\r\n", "a\r\nb\r\n", true),
                Arguments.of("a\r\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true),
                Arguments.of("a\n\r\n.\r\n", "a\r\n\r\n", true),
                Arguments.of("a\n\n\r\n.\r\n", "a\r\n\r\n\r\n", true),
                // 8-bit and NUL octets pass unchanged
                Arguments.of("caf\u00e9\u0000\u00ff\r\n.\r\n", "caf\u00e9\u0000\u00ff\r\n", true),
                // no end yet
                Arguments.of("", "", false),
                Arguments.of("hello", "hello", false),
                Arguments.of("hello\r\n", "hello\r\n", false),
                Arguments.of("hello\r\n.", "hello\r\n", false),
                Arguments.of("hello\r\n.\r", "hello\r\n", false),
                Arguments.of("hello\n.\n", "hello\r\n\r\n", false),
                Arguments.of("hello\r\n.\n", "hello\r\n\r\n", false),
                Arguments.of("hello\n.\r\n", "hello\r\n\r\n", false),
                Arguments.of("hello\r\n..\r\n", "hello\r\n.\r\n", false));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("inputs")
    void inputDecodesToItsContentWhetherFedWholeOrByteByByte(String input, String output, boolean done) {
        Decoded whole = decode(input, Integer.MAX_VALUE);
        assertEquals(output, whole.output());
        assertEquals(done, whole.done());
        assertEquals(input.length(), whole.consumed());
        assertFalse(whole.overflowed());
        assertEquals(output.length(), whole.size());
        assertEquals(whole, decode(input, 1));
        assertEquals(whole, decode(input, 2, 1, 3));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("inputs")
    void inputDecodesTheSameInRandomPieces(String input, String output, boolean done) {
        Decoded whole = decode(input, Integer.MAX_VALUE);
        Random random = new Random(input.hashCode());
        for (int round = 0; round < 20; round++) {
            int[] sizes = random.ints(8, 1, 6).toArray();
            assertEquals(whole, decode(input, sizes));
        }
    }

    @Test
    void bytesAfterTheEndAreLeftForTheNextCommands() {
        String data = "Subject: x\r\n\r\nbody\r\n.\r\n";
        String pipelined = "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n";
        for (int piece : new int[] {1, 3, 7, 1000}) {
            Decoded decoded = decode(data + pipelined, piece);
            assertTrue(decoded.done());
            assertEquals(data.length(), decoded.consumed(), "piece size " + piece);
            assertEquals("Subject: x\r\n\r\nbody\r\n", decoded.output());
        }
    }

    @Test
    void feedReturnsFewerBytesThanGivenOnlyWhereTheDataEnds() {
        byte[] input = "x\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        DataDecoder decoder = new DataDecoder(100, (b, o, l) -> { });
        assertEquals(6, decoder.feed(input, 0, input.length));
        assertTrue(decoder.isDone());
        // once done, nothing more is taken
        assertEquals(0, decoder.feed(input, 6, input.length - 6));
    }

    @Test
    void contentAtTheLimitIsKept() {
        Decoded decoded = decode("12345678\r\n.\r\n".getBytes(StandardCharsets.US_ASCII), 10, Integer.MAX_VALUE);
        assertFalse(decoded.overflowed());
        assertEquals("12345678\r\n", decoded.output());
    }

    @Test
    void contentOverTheLimitOverflowsButTheEndIsStillFound() {
        String input = "0123456789ABCDEF\r\nmore\r\n.\r\nQUIT\r\n";
        for (int piece : new int[] {1, 5, Integer.MAX_VALUE}) {
            Decoded decoded = decode(input.getBytes(StandardCharsets.US_ASCII), 10, piece);
            assertTrue(decoded.overflowed());
            assertTrue(decoded.done());
            assertEquals(input.indexOf("QUIT"), decoded.consumed());
            // the size is counted past the limit; what was kept is a prefix of the content within the limit
            assertEquals("0123456789ABCDEF\r\nmore\r\n".length(), decoded.size());
            assertTrue(decoded.output().length() <= 10);
            assertTrue("0123456789ABCDEF\r\n".startsWith(decoded.output()));
        }
    }

    @Test
    void bareLineBreaksAreNoticed() {
        DataDecoder clean = new DataDecoder(100, (b, o, l) -> { });
        byte[] crlf = "a\r\nb\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        clean.feed(crlf, 0, crlf.length);
        assertFalse(clean.sawBareLineBreak());

        DataDecoder bare = new DataDecoder(100, (b, o, l) -> { });
        byte[] lf = "a\nb\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        bare.feed(lf, 0, lf.length);
        assertTrue(bare.sawBareLineBreak());
    }
}
