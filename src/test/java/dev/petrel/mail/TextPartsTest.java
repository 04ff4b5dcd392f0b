package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextPartsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String MIXED = "From: a@b.test\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
            + "Content-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n--b2\r\n"
            + "Content-Type: text/plain; charset=utf-8; format=flowed\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            + "\r\nGr=C3=BC=C3=9Fe {{u=\r\nrl}} end\r\n--b2\r\n"
            + "Content-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getEncoder().encodeToString("<p>\u00e9t\u00e9 {{url}}</p>".getBytes(StandardCharsets.ISO_8859_1))
            + "\r\n--b2--\r\n--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n"
            + "\r\n{{url}} in a file\r\n--b1--\r\nepilogue\r\n";

    @Test
    void eachShownTextPartIsDecodedEditedAndWrittenBackAsUtf8() {
        List<String> seen = new ArrayList<>();
        byte[] out = TextParts.edit(bytes(MIXED), (type, text) -> {
            seen.add(type + ": " + text);
            return text.replace("{{url}}", "https://x.test/u");
        });
        assertEquals(List.of("text/plain: Grüße {{url}} end", "text/html: <p>été {{url}}</p>"), seen,
                "the attachment is not text to show");
        List<String> again = new ArrayList<>();
        TextParts.edit(out, (type, text) -> {
            again.add(type + ": " + text);
            return text;
        });
        assertEquals(List.of("text/plain: Grüße https://x.test/u end", "text/html: <p>été https://x.test/u</p>"),
                again);
        String written = new String(out, StandardCharsets.UTF_8);
        assertTrue(written.contains("Content-Type: text/plain; format=\"flowed\"; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"), written);
        assertTrue(written.contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"),
                written);
        assertTrue(written.contains("\r\n{{url}} in a file\r\n") && written.contains("preamble")
                && written.endsWith("--b1--\r\nepilogue\r\n"), written);
    }

    @Test
    void aPartTheEditLeavesIsCopiedOctetForOctet() {
        byte[] in = bytes(MIXED);
        assertArrayEquals(in, TextParts.edit(in, (type, text) -> text));
        assertTrue(TextParts.contains(in, "{{url}}"), "across a soft line break");
        assertFalse(TextParts.contains(in, "in a file"), "attachments are not read");
    }

    // RFC 2045 4: without MIME-Version a message is plain text; once edited it says what it is
    @Test
    void aMessageWithoutMimeIsPlainTextAndBecomesMime() {
        byte[] out = TextParts.edit(bytes("From: a@b.test\r\nSubject: x\r\n\r\nhello\r\n"),
                (type, text) -> text + "bye \u00e9\r\n");
        String written = new String(out, StandardCharsets.US_ASCII);
        assertEquals("From: a@b.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nhello\r\nbye =C3=A9\r\n", written);
    }
}
