package dev.petrel.conversation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The script format itself, so a broken runner cannot make every conversation pass. */
class ScriptTest {

    @Test
    void escapesOfRawLinesBecomeBytes() {
        assertArrayEquals(new byte[] {'a', '\r', '\n', '\t', '\\', 0, (byte) 0xff},
                Script.unescape("a\\r\\n\\t\\\\\\x00\\xff"));
        assertArrayEquals("jö".getBytes(StandardCharsets.UTF_8), Script.unescape("jö"));
        assertThrows(IllegalArgumentException.class, () -> Script.unescape("\\q"));
        assertThrows(IllegalArgumentException.class, () -> Script.unescape("\\x1"));
    }

    @Test
    void macrosExpandToCredentialsAndRepeats() {
        // RFC 4616: base64 of NUL user NUL password
        assertEquals("AHVAbABw", Script.expandMacros("{plain u@l p}"));
        assertEquals("AUTH LOGIN dXNlcg==", Script.expandMacros("AUTH LOGIN {base64 user}"));
        assertEquals("NOOP ababab", Script.expandMacros("NOOP {repeat 3 ab}"));
        assertEquals("no {macro here}", Script.expandMacros("no {macro here}"));
    }

    @Test
    void serverLinesMatchExactlyByPrefixOrByPattern() {
        Script s = Script.parse("t/x", List.of("# RFC 0: test", "role mx", "S: 250 Ok", "S: 250 *", "S~ 25[0-9] .*",
                "S* 250 DSN"));
        List<Script.Step> steps = s.steps();
        Script.Match exact = ((Script.Step.Expect) steps.get(0)).match();
        assertTrue(exact.matches("250 Ok"));
        assertFalse(exact.matches("250 Ok then"));
        assertTrue(((Script.Step.Expect) steps.get(1)).match().matches("250 2.0.0 Ok"));
        assertFalse(((Script.Step.Expect) steps.get(1)).match().matches("251 2.0.0 Ok"));
        assertTrue(((Script.Step.Expect) steps.get(2)).match().matches("251 x"));
        assertTrue(((Script.Step.Expect) steps.get(3)).lastOfReply());
    }

    @Test
    void clientLinesEndInCrlfAndRawLinesDoNot() {
        Script s = Script.parse("t/x", List.of("# RFC 0: test", "role submission", "C: EHLO a", "C! DATA"));
        assertArrayEquals("EHLO a\r\n".getBytes(StandardCharsets.US_ASCII),
                ((Script.Step.Send) s.steps().get(0)).bytes());
        assertArrayEquals("DATA".getBytes(StandardCharsets.US_ASCII), ((Script.Step.Send) s.steps().get(1)).bytes());
        assertEquals(Script.Role.SUBMISSION, s.role());
    }

    @Test
    void setUpLinesFillTheSetUp() {
        Script s = Script.parse("t/x", List.of("# RFC 0: test", "role mx", "user a@localhost pw", "domain ex.test local",
                "domain send.test", "relay_networks 10.0.0.0/8", "limit recipients 2", "limit message_size 1KiB",
                "timeout helo 1s", "loopback-only", "S: 220 *", "queue contains \"a\\r\\nb\""));
        assertEquals("pw", s.setup().users().get("a@localhost"));
        assertEquals(List.of("ex.test"), s.setup().localDomains());
        assertEquals(List.of("send.test"), s.setup().sendingDomains());
        assertEquals(List.of("10.0.0.0/8"), s.setup().relayNetworks());
        assertEquals("2", s.setup().limits().get("recipients"));
        assertEquals("\"1KiB\"", s.setup().limits().get("message_size"));
        assertEquals("\"1s\"", s.setup().timeouts().get("helo"));
        assertTrue(s.loopbackOnly());
        Script.Step.QueueCheck check = assertInstanceOf(Script.Step.QueueCheck.class, s.steps().get(1));
        assertEquals("a\r\nb", check.argument());
    }

    @Test
    void aScriptWithoutPurposeOrRoleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Script.parse("t/x", List.of("role mx", "S: 220 *")));
        assertThrows(IllegalArgumentException.class, () -> Script.parse("t/x", List.of("# RFC 0: x", "S: 220 *")));
        assertThrows(IllegalArgumentException.class, () -> Script.parse("t/x", List.of("# RFC 0: x", "role mx", "X: y")));
    }
}
