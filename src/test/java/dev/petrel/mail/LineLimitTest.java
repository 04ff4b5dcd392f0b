package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LineLimitTest {

    private static final String LONG_5000 = words(5000);
    private static final String LONG_100000 = words(100_000);
    private static final String HTML = "<p>short html</p>\r\n";
    private static final String PDF = Base64.getMimeEncoder().encodeToString(new byte[3000]) + "\r\n";

    /**
     * A message, and for each part of it that has a long line, that part's body as it was: after rewriting, the
     * part is quoted-printable and decodes to exactly that body.
     */
    record Case(String name, byte[] message, List<String> reencodedBodies, List<String> keptVerbatim) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                // plain RFC 5322 messages, no MIME: MIME-Version, a text/plain Content-Type and the encoding added
                plain("a 5,000-octet line", "Hello,\r\n" + LONG_5000 + "\r\nBye\r\n"),
                plain("a 100,000-octet line", LONG_100000 + "\r\n"),
                plain("a 5,000-octet line without a final line break", "x\r\n" + LONG_5000),
                plain("8-bit UTF-8 text", "\u00e9t\u00e9 " + LONG_5000.replace("e", "\u00e9") + "\r\n"),
                plain("a line of exactly 999 octets", "a".repeat(999) + "\r\n"),
                plain("trailing white space, an equals sign, a dash, a bare LF", "-" + LONG_5000 + "= \r\n\tx\ny\r\n"),
                // MIME: only leaf parts with long lines change; their siblings stay octet for octet
                Arguments.of(new Case("multipart/alternative, one long text part and an HTML part", bytes(
                        "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n"
                                + "\r\npreamble\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + LONG_5000 + "\r\n--b1\r\n"
                                + "Content-Type: text/html\r\n\r\n" + HTML + "--b1--\r\nepilogue\r\n"),
                        List.of(LONG_5000), List.of(HTML))),
                Arguments.of(new Case("nested multipart/mixed with an attachment already in base64", bytes(
                        "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n"
                                + "\r\n--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                                + "--inner\r\nContent-Type: text/plain\r\n\r\n" + LONG_100000 + "\r\nend\r\n"
                                + "--inner\r\nContent-Type: text/html\r\n\r\n" + HTML + "--inner--\r\n"
                                + "--outer\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                                + PDF + "--outer--\r\n"),
                        List.of(LONG_100000 + "\r\nend"), List.of(HTML, PDF))),
                Arguments.of(new Case("a forwarded message with a long line inside", bytes(
                        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\n"
                                + "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\n" + LONG_5000 + "\r\n--m--\r\n"),
                        List.of(LONG_5000), List.of())));
    }

    private static Arguments plain(String name, String body) {
        return Arguments.of(new Case(name, bytes("From: a@example.com\r\nSubject: plain\r\n\r\n" + body),
                List.of(body), List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("messages")
    void longBodyLinesAreReencodedAsQuotedPrintableThatDecodesToTheOriginal(Case c) {
        assertTrue(LineLimit.exceeded(c.message()));
        byte[] out = LineLimit.enforce(c.message());
        assertNoLongLine(out);
        String text = new String(out, StandardCharsets.ISO_8859_1);
        List<String> decoded = quotedPrintableBodies(out);
        assertEquals(c.reencodedBodies().size(), decoded.size(), text.substring(0, Math.min(text.length(), 3000)));
        for (int i = 0; i < decoded.size(); i++) {
            assertEquals(latin1(c.reencodedBodies().get(i)), decoded.get(i));
        }
        for (String verbatim : c.keptVerbatim()) {
            assertTrue(text.contains(verbatim), verbatim);
        }
        assertTrue(text.contains("MIME-Version: 1.0\r\n"), text.substring(0, 300));
        assertEquals(1, text.split("MIME-Version", -1).length - 1 - (text.contains("Subject: inner") ? 1 : 0));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // RFC 2045 5.2 / RFC 6152: a message that was not MIME says now what its text is
            "''        | us-ascii",
            "été | utf-8",
    })
    void aMessageThatWasNotMimeGetsItsCharsetNamed(String start, String charset) {
        byte[] out = LineLimit.enforce(bytes("From: a@example.com\r\n\r\n" + start + LONG_5000 + "\r\n"));
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset="
                + charset + "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"), text.substring(0, 200));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // nothing to do: the very same array comes back (the hot path)
            "From: a@example.com\\r\\nSubject: short\\r\\n\\r\\nbody\\r\\n",
            "''",
            "no header at all",
            "Subject: x\\r\\n\\r\\n998:",
            "Subject: x\\n\\n998 with bare LF:",
    })
    void aMessageWithNoLongLineIsReturnedUntouched(String message) {
        String m = message.replace("\\r\\n", "\r\n").replace("\\n", "\n").replace("998:", "y".repeat(998) + "\r\n");
        m = m.replace("998 with bare LF:", "z".repeat(998) + "\n");
        byte[] in = bytes(m);
        assertFalse(LineLimit.exceeded(in));
        assertSame(in, LineLimit.enforce(in));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // RFC 5322 2.2.3: white space to fold at; unfolding gives the field back
            "Subject | 2000 | 10  | folded",
            "To      | 2000 | 10  | folded",
            // one word of 2,000 octets in unstructured text: RFC 2047 encoded words
            "Subject | 2000 | 2000 | encoded",
            "Subject | 2000 | 1990 | encoded",
            // in a structured field, the last resort: cut at 998 octets
            "To      | 2000 | 2000 | cut",
    })
    void longHeaderFieldsAreFolded(String name, int length, int word, String how) {
        String value = wordsOf(length, word);
        byte[] out = LineLimit.enforce(bytes(name + ": " + value + "\r\nFrom: a@example.com\r\n\r\nshort body\r\n"));
        assertNoLongLine(out);
        String text = new String(out, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\r\nFrom: a@example.com\r\n\r\nshort body\r\n"), text);
        String field = text.substring(name.length() + 1, text.indexOf("\r\nFrom:")).replace("\r\n", "");
        switch (how) {
            case "folded" -> assertEquals(" " + value, field);
            case "encoded" -> assertEquals(value, decodeWords(field.strip()));
            default -> assertEquals(value, field.strip().replace(" ", ""));
        }
        assertFalse(text.contains("MIME-Version"), "the body had no long line");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "base64",
            "quoted-printable",
    })
    void alreadyEncodedPartsWithLongLinesAreEncodedAgainInShortLines(String encoding) {
        byte[] data = bytes(LONG_5000 + "=\u00e9\r\n");
        String encoded = encoding.equals("base64") ? Base64.getEncoder().encodeToString(data)
                : new String(QuotedPrintable.encode(data), StandardCharsets.US_ASCII).replace("=\r\n", "");
        byte[] out = LineLimit.enforce(bytes("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: " + encoding + "\r\n\r\n" + encoded + "\r\n"));
        assertNoLongLine(out);
        HeaderSection section = HeaderSection.read(out);
        assertEquals(1, section.count("Content-Transfer-Encoding"));
        byte[] body = java.util.Arrays.copyOfRange(out, section.bodyStart(), out.length);
        byte[] decoded = encoding.equals("base64") ? Base64.getMimeDecoder().decode(body) : QuotedPrintable.decode(body);
        String expected = new String(data, StandardCharsets.ISO_8859_1) + (encoding.equals("base64") ? "" : "\r\n");
        assertEquals(expected, new String(decoded, StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // a long line in a part that is not text: base64, the octets kept exactly
            "application/json",
            "image/png",
    })
    void aLongLineInAPartThatIsNotTextIsReencodedAsBase64(String type) {
        String json = "{\"a\":\"" + "x".repeat(3000) + "\"}\r\n";
        byte[] out = LineLimit.enforce(bytes("MIME-Version: 1.0\r\nContent-Type: " + type + "\r\n\r\n" + json));
        assertNoLongLine(out);
        HeaderSection section = HeaderSection.read(out);
        assertEquals("base64", section.all("Content-Transfer-Encoding").getFirst().unfoldedValue().strip());
        byte[] body = java.util.Arrays.copyOfRange(out, section.bodyStart(), out.length);
        assertEquals(json, new String(Base64.getMimeDecoder().decode(body), StandardCharsets.ISO_8859_1));
    }

    private static void assertNoLongLine(byte[] out) {
        int start = 0;
        for (int i = 0; i <= out.length; i++) {
            if (i == out.length || out[i] == '\n') {
                int length = i - start - (i > start && out[i - 1] == '\r' ? 1 : 0);
                assertTrue(length <= LineLimit.MAX, "a line of " + length + " octets at " + start);
                start = i + 1;
            }
        }
    }

    // the bodies of the quoted-printable parts, decoded: from the empty line after their header to the CRLF
    // before the next boundary or to the end
    private static List<String> quotedPrintableBodies(byte[] out) {
        String text = new String(out, StandardCharsets.ISO_8859_1);
        List<String> bodies = new ArrayList<>();
        Matcher m = Pattern.compile("Content-Transfer-Encoding: quoted-printable\r\n(?:[^\r\n]+\r\n)*\r\n").matcher(text);
        while (m.find()) {
            int end = text.indexOf("\r\n--", m.end());
            String body = end < 0 ? text.substring(m.end()) : text.substring(m.end(), end);
            bodies.add(new String(QuotedPrintable.decode(body.getBytes(StandardCharsets.ISO_8859_1)),
                    StandardCharsets.ISO_8859_1));
        }
        return bodies;
    }

    // RFC 2047 6.2: adjacent encoded words joined, the white space between them ignored; other words as they are
    private static String decodeWords(String field) {
        Pattern word = Pattern.compile("=\\?UTF-8\\?Q\\?([^?]*)\\?=");
        StringBuilder out = new StringBuilder();
        boolean previousEncoded = false;
        for (String token : field.strip().split("[ \t]+")) {
            Matcher m = word.matcher(token);
            if (m.matches()) {
                assertTrue(token.length() <= 75, token);
                byte[] decoded = QuotedPrintable.decode(m.group(1).replace('_', ' ').getBytes(StandardCharsets.US_ASCII));
                out.append(previousEncoded || out.isEmpty() ? "" : " ").append(new String(decoded, StandardCharsets.UTF_8));
            } else {
                out.append(out.isEmpty() ? "" : " ").append(token);
            }
            previousEncoded = m.matches();
        }
        return out.toString();
    }

    // text of about that many octets in words of the given length (the last one shorter)
    private static String wordsOf(int length, int word) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append("w".repeat(Math.min(word, Math.max(1, length - s.length()))));
        }
        return s.toString();
    }

    private static String words(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; s.length() < length; i++) {
            s.append(i % 7 == 0 ? "line " : "several-words ");
        }
        return s.substring(0, length).stripTrailing() + "x";
    }

    private static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static void assertBytes(byte[] a, byte[] b) {
        assertArrayEquals(a, b);
    }
}
