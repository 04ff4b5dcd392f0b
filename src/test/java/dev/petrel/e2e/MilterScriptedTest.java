package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Petrel whose mx listener hands its sessions to a scripted milter filter (src/test/resources/milter), a
 * Python responder that answers each message with the verdict its recipient names: every verdict and every
 * modification is applied, a silent filter costs its command timeout and then the default action, and what
 * Petrel sent is read back from the filter's log of packets.
 */
class MilterScriptedTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern QUEUED = Pattern.compile("queued as (\\S+)");

    private static ScriptedMilter filter;
    private static Petrel petrel;

    @BeforeAll
    static void start() throws Exception {
        Programs.require("python3", "python3");
        filter = ScriptedMilter.start(scratch.newFolder("milter"));
        petrel = startPetrel(scratch.newFolder("petrel"), "address = \"inet:127.0.0.1:" + filter.port() + "\"\n"
                + "command_timeout = \"1s\"\n");
    }

    static Petrel startPetrel(Path dir, String milter) throws Exception {
        String toml = "hostname = \"mx.petrel.test\"\ndata_dir = \"" + dir.resolve("data") + "\"\n"
                + "[[listeners]]\naddress = \"127.0.0.1:0\"\nrole = \"mx\"\n"
                + "[dns]\nnameservers = [\"127.0.0.1:9\"]\n[delivery]\nremote_port = 9\n"
                + "[http]\naddress = \"127.0.0.1:0\"\n"
                + "[policy]\nrelay_networks = [\"127.0.0.1/32\"]\n"
                + "[[milters]]\n" + milter;
        return Petrel.start(ConfigLoader.parse(toml, dir), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        if (petrel != null) {
            petrel.close();
        }
        if (filter != null) {
            filter.close();
        }
    }

    /** Sends one message to {@code recipient}; the replies to RCPT and to the end of data, joined by " | ". */
    static String send(Petrel p, String recipient, String message) throws Exception {
        try (SmtpLine smtp = SmtpLine.connect(p.addresses().getFirst().getPort())) {
            smtp.reply();
            smtp.command("EHLO client.test");
            String mail = smtp.command("MAIL FROM:<sender@remote.test> SIZE=" + message.length());
            if (!mail.startsWith("250")) {
                return mail;
            }
            String rcpt = smtp.command("RCPT TO:<" + recipient + ">");
            if (!rcpt.startsWith("250")) {
                return rcpt;
            }
            smtp.command("DATA");
            String end = smtp.command(message + ".");
            smtp.command("QUIT");
            return rcpt + " | " + end;
        }
    }

    private static String message(String subject) {
        return "From: <sender@remote.test>\r\nSubject: " + subject + "\r\nX-Remove-Me: yes\r\n\r\nhello\r\n";
    }

    private static StoredMessage queued(String reply) throws Exception {
        Matcher m = QUEUED.matcher(reply);
        assertTrue(m.find(), reply);
        return petrel.queue().read(new QueueId(m.group(1))).orElseThrow();
    }

    private static String content(StoredMessage s) {
        return new String(s.content(), StandardCharsets.UTF_8);
    }

    @Test
    void continueLetsTheMessageThroughAsItCame() throws Exception {
        String reply = send(petrel, "plain@remote.test", message("as it came"));
        String content = content(queued(reply));
        assertTrue(content.contains("Subject: as it came\r\nX-Remove-Me: yes\r\n\r\nhello\r\n"), content);
    }

    @Test
    void rejectAtEndOfDataIs550AndNothingIsQueued() throws Exception {
        int before = petrel.queue().list().size();
        assertTrue(send(petrel, "reject@remote.test", message("x")).endsWith("550 5.7.1 Command rejected"));
        assertEquals(before, petrel.queue().list().size());
    }

    @Test
    void tempfailIs451() throws Exception {
        assertTrue(send(petrel, "tempfail@remote.test", message("x")).endsWith("451 4.7.1 Service unavailable - try again later"));
    }

    @Test
    void theFiltersOwnReplyCodeAndTextAreGivenToTheClient() throws Exception {
        assertTrue(send(petrel, "replycode@remote.test", message("x")).endsWith("554 5.7.1 Spam message rejected by the script"));
    }

    @Test
    void aRejectAtRcptRefusesThatRecipient() throws Exception {
        assertEquals("550 5.7.1 Command rejected", send(petrel, "rcptreject@remote.test", message("x")));
    }

    @Test
    void discardIsAcceptedAndDropped() throws Exception {
        int before = petrel.queue().list().size();
        String reply = send(petrel, "discard@remote.test", message("x"));
        assertTrue(reply.endsWith("250 2.0.0 Ok: discarded"), reply);
        assertEquals(before, petrel.queue().list().size());
    }

    @Test
    void quarantineQueuesTheMessageOnHold() throws Exception {
        QueuedMessage m = queued(send(petrel, "quarantine@remote.test", message("x"))).message();
        assertTrue(m.held(), m.toString());
        assertFalse(queued(send(petrel, "plain@remote.test", message("x"))).message().held());
    }

    @Test
    void headersAreAddedInsertedChangedAndDeleted() throws Exception {
        String content = content(queued(send(petrel, "headers@remote.test", message("original"))));
        assertTrue(content.contains("X-First: first\r\nFrom: <sender@remote.test>\r\n"
                + "Subject: changed by the filter\r\nX-Scripted: seen\r\n\tfolded\r\n\r\nhello\r\n"), content);
        assertFalse(content.contains("X-Remove-Me"), content);
        assertFalse(content.contains("original"), content);
    }

    @Test
    void theBodyIsReplacedWithCrlfLineBreaks() throws Exception {
        String content = content(queued(send(petrel, "body@remote.test", message("x"))));
        assertTrue(content.endsWith("X-Remove-Me: yes\r\n\r\nreplaced\r\nbody\r\n"), content);
    }

    @Test
    void progressKeepsTheFilterWaitedFor() throws Exception {
        assertTrue(send(petrel, "progress@remote.test", message("x")).contains("queued as"));
    }

    @Test
    void aSilentFilterCostsItsCommandTimeoutThenTheDefaultActionTempfails() throws Exception {
        long start = System.nanoTime();
        assertTrue(send(petrel, "silent@remote.test", message("x")).endsWith("451 4.7.1 Service unavailable - try again later"));
        assertTrue(System.nanoTime() - start >= 900_000_000L, "waited for the 1s command timeout");
    }

    @Test
    void petrelSendsTheClientTheEnvelopeWithEsmtpParametersTheMacrosAndEachHeaderField() throws Exception {
        String reply = send(petrel, "plain@remote.test", message("seen by the filter"));
        assertTrue(reply.contains("queued as"), reply);
        List<String> packets = filter.packets();
        assertTrue(packets.contains("O " + hex("\0\0\0\6") + "00000133001ff7ff"), packets.toString());
        assertTrue(packets.stream().anyMatch(p -> p.startsWith("C " + hex("[127.0.0.1]\0" + "4"))), packets.toString());
        assertTrue(packets.contains("H " + hex("client.test\0")), packets.toString());
        assertTrue(packets.stream().anyMatch(p -> p.startsWith("D " + hex("C")) && p.contains(hex("{client_addr}\u0000127.0.0.1\0"))
                && p.contains(hex("j\0mx.petrel.test\0"))), packets.toString());
        // {i} is the queue id the message is queued under, told at MAIL and again at end of message
        Matcher queued = QUEUED.matcher(reply);
        assertTrue(queued.find(), reply);
        assertTrue(packets.contains("D " + hex("Mi\0" + queued.group(1) + "\0{mail_addr}\0sender@remote.test\0")),
                packets.toString());
        assertTrue(packets.contains("D " + hex("Ei\0" + queued.group(1) + "\0")), packets.toString());
        assertTrue(packets.stream().anyMatch(p -> p.startsWith("M " + hex("<sender@remote.test>\0SIZE="))), packets.toString());
        assertTrue(packets.contains("D " + hex("R{rcpt_addr}\0plain@remote.test\0")), packets.toString());
        assertTrue(packets.contains("L " + hex("Subject\0seen by the filter\0")), packets.toString());
        assertTrue(packets.contains("B " + hex("hello\r\n")), packets.toString());
        // the session's QUIT to the filter follows the client's, once the connection closes
        Poll.until(Duration.ofSeconds(10), "the filter is told QUIT", () -> filter.packets().getLast().equals("Q ")
                ? true : null);
    }

    @Test
    void aFilterThatIsAwayAnswersWithItsDefaultAction() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Petrel tempfail = startPetrel(scratch.newFolder("away-tempfail"), "address = \"inet:127.0.0.1:" + closed + "\"\n");
        Petrel accept = startPetrel(scratch.newFolder("away-accept"), "address = \"inet:127.0.0.1:" + closed + "\"\n"
                + "default_action = \"accept\"\n");
        Petrel reject = startPetrel(scratch.newFolder("away-reject"), "address = \"unix:" + scratch.newFolder("none")
                .resolve("milter.sock") + "\"\ndefault_action = \"reject\"\n");
        try {
            assertEquals("451 4.7.1 Service unavailable - try again later", send(tempfail, "plain@remote.test", message("x")));
            assertTrue(send(accept, "plain@remote.test", message("x")).contains("queued as"));
            assertEquals("550 5.7.1 Command rejected", send(reject, "plain@remote.test", message("x")));
        } finally {
            tempfail.close();
            accept.close();
            reject.close();
        }
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
