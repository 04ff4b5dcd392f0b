package dev.petrel.mail.mime;

import static dev.petrel.mail.mime.Drafts.mailbox;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The composed message's octets: its fields, envelope, line lengths and boundaries. */
class ComposerTest {

    private static String compose(Draft draft, long seed) {
        return new String(Drafts.composer(seed).compose(draft).content(), StandardCharsets.US_ASCII);
    }

    private static void assertLinesAtMost(int limit, String message) {
        for (String line : message.split("\r\n", -1)) {
            assertTrue(line.length() <= limit, () -> line.length() + " characters: " + line);
        }
        assertFalse(message.replace("\r\n", "").contains("\n") || message.replace("\r\n", "").contains("\r"));
    }

    @Test
    void textHtmlInlineImageAndFileMakeExactlyThisMessage() throws IOException {
        Draft draft = Drafts.draft("Thanks!\n", "<p>Thanks!</p>", List.of(
                new Attachment("logo.png", "image/png", new byte[] {1, 2, 3}, "logo@shop.example"),
                new Attachment("r.txt", "text/plain", "hi\n".getBytes(StandardCharsets.US_ASCII), null)));
        try (InputStream golden = getClass().getResourceAsStream("/mime/golden/alternative-related-mixed.eml")) {
            assertEquals(new String(golden.readAllBytes(), StandardCharsets.US_ASCII), compose(draft, 7));
        }
    }

    @Test
    void bccRecipientsAreInTheEnvelopeAndInNoHeader() {
        Draft draft = new Draft(mailbox("", "s@shop.example"), List.of(mailbox("", "a@a.example")),
                List.of(mailbox("", "c@c.example"), mailbox("Again", "a@a.example")),
                List.of(mailbox("Hidden", "h@h.example")), List.of(), "s", "t", null, List.of(), List.of());
        ComposedMessage message = Drafts.composer(1).compose(draft);
        assertEquals(List.of(Address.of("a@a.example"), Address.of("c@c.example"), Address.of("h@h.example")),
                message.recipients());
        assertEquals(Address.of("s@shop.example"), message.sender());
        String text = new String(message.content(), StandardCharsets.US_ASCII);
        assertFalse(text.toLowerCase().contains("bcc"));
        assertFalse(text.contains("h@h.example"));
        assertFalse(text.contains("Hidden"));
    }

    @Test
    void dateComesFromTheClockInItsZoneAndMessageIdFromTheSendersDomain() {
        ComposedMessage message = Drafts.composer(1).compose(Drafts.draft("t", null, List.of()));
        String text = new String(message.content(), StandardCharsets.US_ASCII);
        // RFC 5322 3.3: day-of-week, date, time, numeric zone
        assertTrue(text.contains("\r\nDate: Mon, 7 Dec 2026 07:46:26 +0100\r\n"), text);
        assertTrue(message.messageId().matches("<[a-z0-9]{24}@shop\\.example>"), message.messageId());
        assertTrue(text.contains("\r\nMessage-ID: " + message.messageId() + "\r\n"));
        assertTrue(text.contains("\r\nMIME-Version: 1.0\r\n"));
    }

    @Test
    void aGivenHostNameIsTheRightSideOfTheMessageId() {
        Composer composer = new Composer(Drafts.CLOCK, new Random(1), Optional.of(Domain.parse("mx.petrel.example")));
        assertTrue(composer.compose(Drafts.draft("t", null, List.of())).messageId().endsWith("@mx.petrel.example>"));
    }

    @Test
    void messageIdsDifferFromMessageToMessage() {
        Composer composer = Drafts.composer(1);
        Draft draft = Drafts.draft("t", null, List.of());
        assertNotEquals(composer.compose(draft).messageId(), composer.compose(draft).messageId());
    }

    @Test
    void aBoundaryFoundInTheContentIsDrawnAgain() {
        Draft probe = Drafts.draft("x", null, List.of(Drafts.file("a", "text/plain", new byte[1])));
        String first = boundary(compose(probe, 3));
        // the same seed draws the same first boundary; the text now holds it, so another is drawn
        Draft clash = Drafts.draft("x\n--" + first + "\n--" + first + "--", null, probe.attachments());
        String message = compose(clash, 3);
        String second = boundary(message);
        assertNotEquals(first, second);
        assertEquals(3, message.split("--" + second, -1).length - 1, "two delimiters and the close");
    }

    private static String boundary(String message) {
        Matcher m = Pattern.compile("boundary=\"([^\"]+)\"").matcher(message);
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void longLinesAndLongWordsStayWithinTheirLimits() {
        String word = "x".repeat(2000);
        Draft draft = new Draft(mailbox("A very long name ".repeat(20), "s@shop.example"),
                List.of(mailbox("", "a@a.example")), List.of(), List.of(), List.of(), word,
                word + "\n" + "é".repeat(500), "<p>" + word + "</p>",
                List.of(new ExtraHeader("X-Long", ("y".repeat(100) + " ").repeat(30)),
                        new ExtraHeader("X-Unbroken", "z".repeat(1200))),
                List.of(Drafts.file("ä".repeat(200) + ".txt", "text/plain", new byte[5000])));
        String message = compose(draft, 1);
        // RFC 5322 2.1.1: 998 at most; 78 but for the extra header's 100-character words
        assertLinesAtMost(998, message);
        String withoutLongHeader = message.replaceAll("X-Long:[^\r]*(\r\n [^\r]*)*\r\n", "");
        assertLinesAtMost(78, withoutLongHeader);
    }

    @Test
    void anExtraHeaderIsFoldedAtItsWhiteSpaceAndKeptAsItIsWhenAscii() {
        String value = "<https://u.example/" + "a".repeat(60) + ">, <mailto:u@u.example?subject=unsubscribe>";
        Draft draft = new Draft(mailbox("", "s@shop.example"), List.of(mailbox("", "a@a.example")), List.of(),
                List.of(), List.of(), "s", "t", null, List.of(new ExtraHeader("List-Unsubscribe", value)), List.of());
        assertTrue(compose(draft, 1).contains("\r\nList-Unsubscribe: <https://u.example/" + "a".repeat(60) + ">,\r\n"
                + " <mailto:u@u.example?subject=unsubscribe>\r\n"));
    }

    @Test
    void asciiTextWithShortLinesIs7bitAndAnythingElseQuotedPrintable() {
        assertEquals("7bit", Encoded.text("plain\r\ntext").encoding());
        assertArrayEquals("plain\r\ntext\r\n".getBytes(StandardCharsets.US_ASCII), Encoded.text("plain\ntext").octets());
        assertEquals("quoted-printable", Encoded.text("caf\u00e9").encoding());
        assertEquals("quoted-printable", Encoded.text("trailing space ").encoding());
        assertEquals("quoted-printable", Encoded.text("x".repeat(79)).encoding());
    }

    @Test
    void quotedPrintableFollowsRfc2045Rules() {
        // (1) and (2): "=" and 8-bit octets as =XX; (3) white space at a line's end encoded
        assertEquals("a=3Db caf=C3=A9=20\r\nnext\t=09\r\n", qp("a=b caf\u00e9 \nnext\t\t"));
        // (5): soft breaks keep lines within 76 characters, the "=" included
        String encoded = qp("\u00e9".repeat(40));
        for (String line : encoded.split("\r\n")) {
            assertTrue(line.length() <= 76, line);
        }
        assertEquals("=C3=A9".repeat(12) + "=C3=\r\n", encoded.substring(0, 78));
        // a line of exactly 76 characters needs no soft break; one more character does
        assertEquals("y".repeat(76) + "\r\n=C3=A9\r\n", qp("y".repeat(76) + "\n\u00e9"));
        assertEquals("y".repeat(75) + "=\r\ny=C3=A9\r\n", qp("y".repeat(76) + "\u00e9"));
    }

    private static String qp(String text) {
        return new String(Encoded.text(text).octets(), StandardCharsets.US_ASCII);
    }
}
