package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LineLimitPropertyTest {

    // messages put together from pieces that matter: fields of each kind, MIME fields and boundaries, runs long
    // enough to overflow a line, white space, bare CR and LF, 8-bit octets
    @Provide
    Arbitrary<List<String>> pieces() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("Subject: ", "To: ", "Comments:", "X-Any: ", " ", "\t", "\r\n", "\n", "\r", "\r\n\r\n",
                        "MIME-Version: 1.0\r\n", "Content-Type: multipart/mixed; boundary=b\r\n",
                        "Content-Type: message/rfc822\r\n", "Content-Type: text/plain\r\n",
                        "Content-Type: application/octet-stream\r\n", "Content-Transfer-Encoding: base64\r\n",
                        "Content-Transfer-Encoding: quoted-printable\r\n", "Content-Transfer-Encoding: 8bit\r\n",
                        "\r\n--b\r\n", "\r\n--b--\r\n", "=", "=\r\n", "-", "\u00e9", "\u20ac", "\u0000"),
                Arbitraries.strings().withChars('a', 'Z', '=', ' ', '\u00e9').ofMinLength(1).ofMaxLength(20)
                        .map(s -> s.repeat(1 + 1500 / s.length())));
        return piece.list().ofMaxSize(30);
    }

    @Property(tries = 400)
    void noLineIsLongerThan998OctetsAfterwardsAndShortMessagesAreUntouched(@ForAll("pieces") List<String> pieces) {
        byte[] message = String.join("", pieces).getBytes(StandardCharsets.UTF_8);
        byte[] out = LineLimit.enforce(message);
        assertFalse(LineLimit.exceeded(out), () -> new String(out, StandardCharsets.UTF_8));
        if (!LineLimit.exceeded(message)) {
            assertSame(message, out);
        }
    }

    // RFC 2045 6.7: quoted-printable decodes to the octets encoded, whatever they are, in lines of at most 76
    @Property(tries = 1000)
    void quotedPrintableGivesBackEveryOctet(@ForAll("octets") byte[] data) {
        byte[] encoded = QuotedPrintable.encode(data);
        assertArrayEquals(data, QuotedPrintable.decode(encoded));
        for (String line : new String(encoded, StandardCharsets.US_ASCII).split("\r\n", -1)) {
            assertTrue(line.length() <= 76, line);
            assertFalse(line.endsWith(" ") || line.endsWith("\t") || line.startsWith("-"), line);
        }
    }

    @Provide
    Arbitrary<byte[]> octets() {
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> telling = Arbitraries.of((byte) '\r', (byte) '\n', (byte) ' ', (byte) '\t', (byte) '=',
                (byte) '-', (byte) 'a', (byte) 0xc3);
        return Arbitraries.oneOf(any, telling, telling).list().ofMaxSize(400).map(list -> {
            byte[] out = new byte[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
            return out;
        });
    }

    // the scan that skips ahead says what a plain count of every line says
    @Property(tries = 2000)
    void theScanAgreesWithCountingEveryLine(@ForAll("lineLengths") List<Integer> lengths) {
        StringBuilder s = new StringBuilder();
        for (int length : lengths) {
            s.append("x".repeat(Math.abs(length))).append(length < 0 ? "\n" : length % 3 == 0 ? "\r" : "\r\n");
        }
        byte[] b = s.toString().getBytes(StandardCharsets.US_ASCII);
        for (int cut = Math.max(0, b.length - 3); cut <= b.length; cut++) {
            byte[] m = java.util.Arrays.copyOf(b, cut);
            assertEquals(counted(m), LineLimit.exceeded(m), () -> lengths.toString());
        }
    }

    @Provide
    Arbitrary<List<Integer>> lineLengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-1001, 1001), Arbitraries.integers().between(996, 1000),
                Arbitraries.integers().between(-1000, -996)).list().ofMaxSize(8);
    }

    // every line counted, up to its LF; a CR before the LF (or at the very end) is not part of the line
    private static boolean counted(byte[] m) {
        int start = 0;
        for (int i = 0; i <= m.length; i++) {
            if (i == m.length || m[i] == '\n') {
                int length = i - start;
                if (length > 0 && m[i - 1] == '\r') {
                    length--;
                }
                if (length > LineLimit.MAX) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
