package dev.petrel.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyParserTest {

    static Reply parse(String... lines) {
        ReplyParser parser = new ReplyParser();
        for (int i = 0; i < lines.length - 1; i++) {
            assertInstanceOf(ReplyParser.Parsed.Partial.class, parser.feed(lines[i]));
        }
        return assertInstanceOf(ReplyParser.Parsed.Complete.class, parser.feed(lines[lines.length - 1])).reply();
    }

    static Stream<Arguments> replies() {
        return Stream.of(
                // RFC 5321 4.2: one line, several lines, text optional
                Arguments.of(List.of("220 mx.test ESMTP"), Reply.plain(220, "mx.test ESMTP")),
                Arguments.of(List.of("250"), Reply.plain(250, "")),
                Arguments.of(List.of("250-mx.test", "250-PIPELINING", "250 SIZE 10"),
                        Reply.plain(250, "mx.test", "PIPELINING", "SIZE 10")),
                Arguments.of(List.of("250-", "250 last"), Reply.plain(250, "", "last")),
                // RFC 2034 4: the status starts the text of each line
                Arguments.of(List.of("250 2.1.5 Ok"), Reply.of(250, EnhancedStatus.DESTINATION_VALID, "Ok")),
                Arguments.of(List.of("451-4.7.1 Greylisted,", "451 4.7.1 come back later"),
                        new Reply(451, new EnhancedStatus(4, 7, 1), List.of("Greylisted,", "come back later"))),
                Arguments.of(List.of("250 2.0.0"), Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "")),
                Arguments.of(List.of("552 5.3.4 Message too big"),
                        Reply.of(552, EnhancedStatus.MESSAGE_TOO_BIG, "Message too big")),
                // a status whose class disagrees with the code, or that is not a status, stays text
                Arguments.of(List.of("250 5.1.1 odd"), Reply.plain(250, "5.1.1 odd")),
                Arguments.of(List.of("250 2.1.5Ok"), Reply.plain(250, "2.1.5Ok")),
                Arguments.of(List.of("250 Ok"), Reply.plain(250, "Ok")),
                Arguments.of(List.of("550 5.1.1234 long"), Reply.plain(550, "5.1.1234 long")),
                Arguments.of(List.of("354 2.0.0 go ahead"), Reply.plain(354, "2.0.0 go ahead")),
                // taken whether or not the server advertised ENHANCEDSTATUSCODES, as Postfix takes it, spaces
                // before it too; a line that does not repeat it keeps its text
                Arguments.of(List.of("550 5.1.1 No such user here"),
                        Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "No such user here")),
                Arguments.of(List.of("550  5.1.1 two spaces"),
                        Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "two spaces")),
                Arguments.of(List.of("550-5.7.1 first", "550 and no status here"),
                        new Reply(550, EnhancedStatus.DELIVERY_NOT_AUTHORIZED, List.of("first", "and no status here"))),
                // a code later in the text is text (Yahoo's "[#4.16.1]", qmail's "(#5.1.1)")
                Arguments.of(List.of("554 Sorry, no mailbox here by that name. (#5.1.1)"),
                        Reply.plain(554, "Sorry, no mailbox here by that name. (#5.1.1)")));
    }

    @ParameterizedTest
    @MethodSource("replies")
    void linesBecomeOneReply(List<String> lines, Reply expected) {
        assertEquals(expected, parse(lines.toArray(String[]::new)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "25", "Hello", "250x", "2500", "650 Ok", "150 Ok", "050 Ok", "2a0 Ok", " 250 Ok",
            "250\rOk", "250 a\nb"})
    void malformedLinesAreReported(String line) {
        assertInstanceOf(ReplyParser.Parsed.Malformed.class, new ReplyParser().feed(line));
    }

    @Test
    void codeMustNotChangeInsideAReply() {
        ReplyParser parser = new ReplyParser();
        parser.feed("250-first");
        assertInstanceOf(ReplyParser.Parsed.Malformed.class, parser.feed("550 second"));
        // the parser starts over after a malformed reply
        assertEquals(Reply.plain(220, "again"), assertInstanceOf(ReplyParser.Parsed.Complete.class,
                parser.feed("220 again")).reply());
    }

    @Test
    void aReplyThatNeverEndsIsMalformed() {
        ReplyParser parser = new ReplyParser();
        ReplyParser.Parsed last = null;
        for (int i = 0; i < ReplyParser.MAX_LINES; i++) {
            last = parser.feed("250-more");
        }
        assertInstanceOf(ReplyParser.Parsed.Malformed.class, last);
    }

    @Test
    void malformedTextIsQuotedShortAndPrintable() {
        String problem = assertInstanceOf(ReplyParser.Parsed.Malformed.class,
                new ReplyParser().feed("X\u0001" + "y".repeat(100))).problem();
        assertEquals("not a reply code: \"X?" + "y".repeat(58) + "...\"", problem);
    }
}
