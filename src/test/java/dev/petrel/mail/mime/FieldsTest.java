package dev.petrel.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Header fields as written: display names, encoded words, folding, file name parameters. */
class FieldsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', textBlock = """
            # atoms stay as they are (RFC 5322 3.2.3)
            Jane Doe                        ~ Jane Doe
            # specials and quotes: a quoted string with quoted pairs (RFC 5322 3.2.4)
            Doe, Jane                       ~ "Doe, Jane"
            `Say "hi" \\ there`             ~ "Say \\"hi\\" \\\\ there"
            J. R. Smith                     ~ "J. R. Smith"
            # what looks like an encoded word is encoded itself (RFC 2047 6.1), as is non-ASCII (RFC 2047 5 (3))
            # Q when it is not longer than B, B otherwise
            =?UTF-8?Q?x?=                   ~ =?UTF-8?B?PT9VVEYtOD9RP3g/PQ==?=
            José Ortega                     ~ =?UTF-8?Q?Jos=C3=A9_Ortega?=
            Jöhn Müller                     ~ =?UTF-8?B?SsO2aG4gTcO8bGxlcg==?=
            山田太郎                          ~ =?UTF-8?B?5bGx55Sw5aSq6YOO?=
            """)
    void displayNamesAreAtomsQuotedStringsOrEncodedWords(String name, String written) {
        assertEquals(written, String.join(" ", Fields.displayName(name)));
    }

    @Test
    void aLongSubjectIsFoldedAtItsSpacesWithin78Characters() {
        String subject = "word ".repeat(30).strip();
        String field = Fields.unstructured("Subject", subject);
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
        }
        assertEquals("Subject: " + subject, field.replace("\r\n", "").strip());
    }

    @Test
    void encodedWordsHoldWholeCharactersAndStayWithin75() {
        List<String> words = EncodedWords.encode("😀".repeat(40), 60);
        assertTrue(words.getFirst().length() <= 60);
        for (String w : words) {
            assertTrue(w.length() <= 75, w);
            // B: 4 characters per 3 octets; an emoji is 4 octets, so whole emoji make a multiple of 4 octets
            String payload = w.substring("=?UTF-8?B?".length(), w.length() - 2);
            assertEquals(0, java.util.Base64.getDecoder().decode(payload).length % 4, w);
        }
    }

    @Test
    void fileNamesAreQuotedWhenPlainAndOtherwiseInRfc2231Form() {
        assertEquals(List.of(" filename=\"report 2026.pdf\""), Parameters.fileName("filename", "report 2026.pdf"));
        assertEquals(List.of(" filename*=UTF-8''caf%C3%A9%20menu.pdf"), Parameters.fileName("filename", "café menu.pdf"));
        assertEquals(List.of(" filename*=UTF-8''a%22b.txt"), Parameters.fileName("filename", "a\"b.txt"));
        // RFC 2231 3: continuations, each piece whole characters, numbered from 0
        List<String> long_ = Parameters.fileName("filename", "ü".repeat(30));
        assertEquals(List.of(" filename*0*=UTF-8''" + "%C3%BC".repeat(9) + ";",
                " filename*1*=" + "%C3%BC".repeat(9) + ";", " filename*2*=" + "%C3%BC".repeat(9) + ";",
                " filename*3*=" + "%C3%BC".repeat(3)), long_);
        assertEquals("caf_ menu.pdf", Parameters.asciiFallback("café menu.pdf"));
    }
}
