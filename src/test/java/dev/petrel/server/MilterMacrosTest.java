package dev.petrel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MilterMacrosTest {

    @Test
    void aFiltersReplyCodeKeepsItsCodeStatusAndLines() {
        assertEquals(Reply.of(554, new EnhancedStatus(5, 7, 1), "Spam message rejected"),
                MilterMacros.reply("554 5.7.1 Spam message rejected"));
        assertEquals(new Reply(550, new EnhancedStatus(5, 7, 0), List.of("first", "second")),
                MilterMacros.reply("550-5.7.0 first\r\n550 5.7.0 second"));
        // without an enhanced status (or one of another class), the class's X.7.1
        assertEquals(Reply.of(451, new EnhancedStatus(4, 7, 1), "later"), MilterMacros.reply("451 later"));
        assertEquals(Reply.of(451, new EnhancedStatus(4, 7, 1), "5.1.1 odd"), MilterMacros.reply("451 5.1.1 odd"));
    }

    @Test
    void theMacrosOfEachStageLeaveOutWhatIsUnknown() throws Exception {
        MilterMacros m = new MilterMacros("mx.test");
        assertEquals(Map.of("j", "mx.test", "{daemon_name}", "petrel", "v", "Petrel", "_", "unknown [192.0.2.1]",
                "{client_addr}", "192.0.2.1"), m.connect(InetAddress.getByName("192.0.2.1")));
        assertEquals(Map.of(), m.helo(null, null));
        assertEquals(Map.of("i", "Q1", "{mail_addr}", "a@b"), m.mail("Q1", "a@b", null));
        assertEquals(Map.of("{rcpt_addr}", "c@d"), m.rcpt("c@d"));
    }
}
