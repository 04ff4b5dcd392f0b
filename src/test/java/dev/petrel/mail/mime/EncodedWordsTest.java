package dev.petrel.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodedWordsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // RFC 2047 8's examples
        "=?ISO-8859-1?Q?a?=                          | a",
        "=?ISO-8859-1?Q?a?= b                        | a b",
        "=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=       | ab",
        "=?ISO-8859-1?Q?a?=  \t =?ISO-8859-1?Q?b?=   | ab",
        "=?ISO-8859-1?Q?a_b?=                        | a b",
        "=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=      | a b",
        "=?US-ASCII?Q?Keith_Moore?=                  | Keith Moore",
        "=?ISO-8859-1?Q?Andr=E9?= Pirard             | André Pirard",
        // B, lower-case names, RFC 2231 5's language
        "=?utf-8?b?Z3LDvMOfZQ==?=                    | grüße",
        "=?UTF-8*en?Q?hello?=                        | hello",
        // Python's email package splits a long word in two; 6.2 joins them
        "=?utf-8?q?AQAAUHIABGFjbWUA?= =?utf-8?q?GVzdL1Q=5Fx-yz?= | AQAAUHIABGFjbWUAGVzdL1Q_x-yz",
        // what is not an encoded word, or cannot be decoded, stays as it is
        "Re: plain words                             | Re: plain words",
        "=?nosuch-charset?Q?x?= y                    | =?nosuch-charset?Q?x?= y",
        "=?utf-8?Q?bad=ZZhex?=                       | =?utf-8?Q?bad=ZZhex?=",
        "=?utf-8?B?!!!?= =?utf-8?Q?a?=              | =?utf-8?B?!!!?= a",
        "=?utf-8?X?x?=                               | =?utf-8?X?x?=",
    })
    void encodedWordsAreDecodedAndWhiteSpaceBetweenThemDropped(String text, String expected) {
        assertEquals(expected, EncodedWords.decode(text.replace("\\t", "\t")));
    }

    @Test
    void whatIsEncodedDecodesToItself() {
        for (String text : List.of("café crème", "x".repeat(200), "日本語のテキスト", "a_b=c?d")) {
            assertEquals(text, EncodedWords.decode(String.join(" ", EncodedWords.encode(text, 40))), text);
        }
    }
}
