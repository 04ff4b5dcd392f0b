package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
