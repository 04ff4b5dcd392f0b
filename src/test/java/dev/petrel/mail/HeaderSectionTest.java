package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderSectionTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // the section ends where the first empty line starts; the body after that line
            "A: 1\\r\\nB: 2\\r\\n\\r\\nbody\\r\\n  | 12 | 14",
            "A: 1\\nB: 2\\n\\nbody\\n              | 10 | 11",
            // CRLF fields and a bare-LF empty line, as mixed input may have
            "A: 1\\r\\n\\nbody                     | 6  | 7",
            // a message without a body is all header, with or without a final line end
            "A: 1\\r\\n                            | 6  | 6",
            "A: 1                                  | 4  | 4",
            // a message without a header section
            "\\r\\nbody\\r\\n                      | 0  | 2",
            "\\nbody                               | 0  | 1",
            // an empty line only ends the section once the fields have begun: it is the first one
            "A: 1\\r\\n\\r\\nB: 2\\r\\n\\r\\n      | 6  | 8",
            // a line of white space is a continuation, not the empty line
            "A: 1\\r\\n \\r\\nB: 2\\r\\n\\r\\nx    | 15 | 17",
            "''                                    | 0  | 0",
    })
    void theSectionEndsAtTheFirstEmptyLine(String message, int end, int bodyStart) {
        HeaderSection s = HeaderSection.read(bytes(message));
        assertEquals(end, s.end());
        assertEquals(bodyStart, s.bodyStart());
    }

    @Test
    void foldedFieldsAreOneFieldAndUnfoldToTheirValue() {
        HeaderSection s = HeaderSection.read(bytes("To: a@example.com,\r\n\tb@example.com\r\nSubject: x\r\n\r\nTo: body\r\n"));
        assertEquals(List.of("To", "Subject"), s.fields().stream().map(HeaderField::name).toList());
        HeaderField to = s.fields().getFirst();
        assertEquals("To: a@example.com,\r\n\tb@example.com", text(to.raw()));
        assertEquals(" a@example.com,\r\n\tb@example.com", to.value());
        // RFC 5322 2.2.3: unfolding removes the line break and keeps the white space after it
        assertEquals(" a@example.com,\tb@example.com", to.unfoldedValue());
    }

    @Test
    void bareLfFoldsAndEndsLinesToo() {
        HeaderSection s = HeaderSection.read(bytes("Subject: one\n two\nFrom: a@example.com\n\nbody\n"));
        assertEquals(" one two", s.all("subject").getFirst().unfoldedValue());
        assertEquals("Subject: one\n two", text(s.all("subject").getFirst().raw()));
        assertEquals(1, s.count("From"));
    }

    @Test
    void namesCompareWithoutRegardToCase() {
        HeaderSection s = HeaderSection.read(bytes("Received: a\r\nreceived: b\r\nRECEIVED: c\r\nX-Received: no\r\n\r\n"));
        assertEquals(3, s.count("Received"));
        assertEquals(3, s.all("received").size());
        assertTrue(s.has("x-received"));
        assertFalse(s.has("Message-ID"));
        assertEquals("received", s.fields().get(1).lowerName());
        assertTrue(s.fields().get(2).is("Received"));
    }

    @Test
    void whiteSpaceBeforeTheColonIsNotPartOfTheName() {
        // RFC 5322 4.5: obsolete syntax allows it; DKIM's relaxed canonicalization removes it (RFC 6376 3.4.2)
        HeaderSection s = HeaderSection.read(bytes("B : Y\t\r\n\tZ  \r\n\r\n"));
        assertEquals("B", s.fields().getFirst().name());
        assertEquals(" Y\t\r\n\tZ  ", s.fields().getFirst().value());
    }

    @Test
    void linesThatAreNotFieldsAreSkippedWithTheirContinuations() {
        String message = " leading continuation\r\nnot a field\r\n more\r\n: no name\r\nA: 1\r\n\r\nbody";
        HeaderSection s = HeaderSection.read(bytes(message));
        assertEquals(List.of("A"), s.fields().stream().map(HeaderField::name).toList());
        assertEquals(message.indexOf("\r\n\r\n") + 2, s.end());
    }

    @Test
    void eightBitOctetsDoNotStopTheReading() {
        byte[] message = {'S', ':', ' ', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, '\r', '\n', 'A', ':', '1', '\r', '\n', '\r', '\n'};
        HeaderSection s = HeaderSection.read(message);
        assertEquals(List.of("S", "A"), s.fields().stream().map(HeaderField::name).toList());
        assertEquals(" \u00e9\ufffd", s.fields().getFirst().value());
    }

    @Test
    void withoutRemovesTheNamedFieldsAndKeepsEverythingElseAsItWas() {
        String message = "To: a@example.com\r\nBcc: b@example.com,\r\n c@example.com\r\nnot a field\r\nbcc: d\r\n"
                + "Subject: x\r\n\r\nBcc: body@example.com\r\n";
        assertEquals("To: a@example.com\r\nnot a field\r\nSubject: x\r\n\r\nBcc: body@example.com\r\n",
                text(HeaderSection.read(bytes(message)).without("Bcc")));
        // the last field, without a final line end
        assertEquals("To: a\n", text(HeaderSection.read(bytes("To: a\nBcc: b")).without("bcc")));
        assertEquals(message, text(HeaderSection.read(bytes(message)).without("Cc")));
    }

    private static byte[] bytes(String escaped) {
        return escaped.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
