package dev.petrel.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyTest {

    @Test
    void aOneLineReplyCarriesCodeStatusAndText() {
        Reply reply = Reply.of(250, EnhancedStatus.OTHER_UNDEFINED, "Ok");
        assertEquals("250 2.0.0 Ok\r\n", reply.render());
        assertEquals("250 2.0.0 Ok", reply.summary());
        assertEquals("250 2.0.0 Ok", reply.toString());
    }

    @Test
    void everyLineButTheLastHasAHyphenAndEachRepeatsTheEnhancedStatus() {
        Reply reply = new Reply(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, List.of("first", "second", "third"));
        assertEquals("550-5.1.1 first\r\n550-5.1.1 second\r\n550 5.1.1 third\r\n", reply.render());
        assertEquals("550 5.1.1 first", reply.summary());
    }

    @Test
    void aPlainReplyHasNoEnhancedStatus() {
        Reply reply = Reply.plain(250, "mx.example.com Hello client", "PIPELINING", "SIZE 1000");
        assertEquals("250-mx.example.com Hello client\r\n250-PIPELINING\r\n250 SIZE 1000\r\n", reply.render());
        assertEquals("250 mx.example.com Hello client", reply.summary());
    }

    @Test
    void bytesAreTheRenderingInUtf8() {
        Reply reply = Reply.of(550, EnhancedStatus.BAD_DESTINATION_MAILBOX, "Unknown user jösé");
        assertArrayEquals("550 5.1.1 Unknown user jösé\r\n".getBytes(StandardCharsets.UTF_8), reply.toBytes());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # 2xx and 3xx go on
            220, true,  false, false
            250, true,  false, false
            354, true,  false, false
            # 4xx: try again later
            421, false, true,  false
            452, false, true,  false
            # 5xx: never again
            500, false, false, true
            554, false, false, true
            """)
    void theCodeSaysWhetherAReplyIsPositiveTransientOrPermanent(int code, boolean positive, boolean transientFailure,
                                                               boolean permanent) {
        Reply reply = Reply.plain(code, "text");
        assertEquals(positive, reply.isPositive());
        assertEquals(transientFailure, reply.isTransient());
        assertEquals(permanent, reply.isPermanent());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 199, 600, 999})
    void codesOutsideTwoHundredToFiveNinetyNineAreRefused(int code) {
        assertThrows(IllegalArgumentException.class, () -> Reply.plain(code, "text"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"a\r\nb", "a\rb", "a\nb", "trailing\r\n"})
    void replyTextCannotCarryLineBreaks(String text) {
        // a line break in a reply would let text end the reply early (reply injection)
        assertThrows(IllegalArgumentException.class, () -> Reply.of(550, EnhancedStatus.SYNTAX_ERROR, text));
    }

    @Test
    void aReplyHasAtLeastOneLine() {
        assertThrows(IllegalArgumentException.class, () -> new Reply(250, null, List.of()));
    }
}
