package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.cli.Petrel;
import dev.petrel.mail.QueueId;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Petrel's mx listener with Debian's rspamd as its milter (the proxy worker in milter mode, started on loopback with
 * a private configuration): the GTUBE test message is rejected with rspamd's reply, nothing of it queued; a clean
 * message is queued with rspamd's result headers.
 */
class MilterRspamdTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    // the Generic Test for Unsolicited Bulk Email, which rspamd rejects as spam whatever else the message says
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private static Rspamd rspamd;
    private static Petrel petrel;

    @BeforeAll
    static void start() throws Exception {
        rspamd = Rspamd.start(scratch.newFolder("rspamd"));
        petrel = MilterScriptedTest.startPetrel(scratch.newFolder("petrel"), "address = \"inet:127.0.0.1:"
                + rspamd.port() + "\"\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (petrel != null) {
            petrel.close();
        }
        if (rspamd != null) {
            rspamd.close();
        }
    }

    private static String message(String subject, String body) {
        return "From: Sender <sender@remote.test>\r\nTo: <someone@remote.test>\r\nSubject: " + subject
                + "\r\nDate: Mon, 07 Dec 2026 16:00:00 +0000\r\nMessage-ID: <" + subject.hashCode()
                + "@remote.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body
                + "\r\n";
    }

    @Test
    void gtubeIsRejectedWithRspamdsReply() throws Exception {
        int before = petrel.queue().list().size();
        String reply = MilterScriptedTest.send(petrel, "someone@remote.test", message("Test spam", GTUBE));
        assertTrue(reply.matches("250 .* \\| 5\\d\\d 5\\.7\\.1 .*"), reply);
        assertEquals(before, petrel.queue().list().size());
    }

    @Test
    void aCleanMessageGetsRspamdsHeaders() throws Exception {
        String reply = MilterScriptedTest.send(petrel, "someone@remote.test", message("Lunch on Thursday",
                "Shall we meet at noon at the usual place? I will bring the notes from the meeting."));
        Matcher m = Pattern.compile("queued as (\\S+)").matcher(reply);
        assertTrue(m.find(), reply);
        String content = new String(petrel.queue().read(new QueueId(m.group(1))).orElseThrow().content(),
                StandardCharsets.UTF_8);
        assertTrue(content.contains("X-Spamd-Result: default: False"), content);
        assertTrue(content.contains("X-Rspamd-Queue-Id: "), content);
        assertTrue(content.contains("X-Spam-Status: No"), content);
    }
}
