package dev.petrel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageEditsTest {

    private static final byte[] MESSAGE = ("Received: from a\r\nSubject: hi\r\nX-Spam: old\r\nX-Spam: older\r\n\r\n"
            + "body\r\n").getBytes(StandardCharsets.US_ASCII);

    private static String edited(MessageEdits e) {
        return new String(e.apply(MESSAGE), StandardCharsets.US_ASCII);
    }

    @Test
    void withoutEditsTheMessageIsUntouched() {
        MessageEdits e = new MessageEdits(false);
        assertFalse(e.add(new FilterReply.Continue()));
        assertSame(MESSAGE, e.apply(MESSAGE));
    }

    @Test
    void addedFieldsGoLastInsertedOnesAtTheirIndexWithASpaceAfterTheColon() {
        MessageEdits e = new MessageEdits(false);
        e.add(new FilterReply.AddHeader("X-Spamd-Result", "default: False [0.00 / 15.00]\n\tSYMBOL(1)"));
        e.add(new FilterReply.InsertHeader(0, "X-First", "one"));
        assertEquals("X-First: one\r\nReceived: from a\r\nSubject: hi\r\nX-Spam: old\r\nX-Spam: older\r\n"
                + "X-Spamd-Result: default: False [0.00 / 15.00]\r\n\tSYMBOL(1)\r\n\r\nbody\r\n", edited(e));
    }

    @Test
    void aChangeNamesTheNthFieldOfItsNameAnEmptyValueDeletesAndPastTheLastAdds() {
        MessageEdits e = new MessageEdits(true);
        e.add(new FilterReply.ChangeHeader(2, "x-spam", " new"));
        e.add(new FilterReply.ChangeHeader(1, "Subject", ""));
        e.add(new FilterReply.ChangeHeader(3, "X-Spam", " third"));
        e.add(new FilterReply.ChangeHeader(1, "X-Absent", ""));
        assertEquals("Received: from a\r\nX-Spam: old\r\nx-spam: new\r\nX-Spam: third\r\n\r\nbody\r\n", edited(e));
    }

    @Test
    void theBodyIsReplacedByTheChunksTogetherWithCrlfLineBreaks() {
        MessageEdits e = new MessageEdits(false);
        e.add(new FilterReply.ReplaceBody("new\nbo".getBytes(StandardCharsets.US_ASCII)));
        e.add(new FilterReply.ReplaceBody("dy\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("Received: from a\r\nSubject: hi\r\nX-Spam: old\r\nX-Spam: older\r\n\r\nnew\r\nbody\r\n", edited(e));
    }
}
