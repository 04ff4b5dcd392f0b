package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code petrel sendmail} and {@code petrel queue} as separate processes, as local programs and operators run
 * them: through the control socket while a server owns the queue, straight into the queue while none does.
 */
class SendmailAndQueueCommandsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private ServerProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sendmailGoesThroughTheRunningServerAndQueueCommandsChangeItsQueue() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("running"));
        server = home.start();
        // bare LF line ends, as local programs write them; the queue keeps CRLF
        String input = "Subject: via sendmail\n\nfirst line\n..two dots stay two\nlast line\n";
        home.petrelOk(bytes(input), "sendmail", "-f", "alice@localhost", "bob@remote.test");

        List<QueuedMessage> queued = home.snapshot();
        assertEquals(1, queued.size(), "one message queued: " + queued);
        String id = queued.getFirst().id().value();
        StoredMessage stored = Queued.assertSubmittedLocally(home, id, bytes(input.replace("\n", "\r\n")),
                "Message-ID", "Date");
        assertEquals("alice@localhost", stored.message().envelope().reversePath().toString());
        assertEquals("bob@remote.test", stored.message().envelope().recipients().getFirst().address().toString());
        // the server, not the command, wrote it: its log has the queued event
        Poll.until(Duration.ofSeconds(10), "the server's 'queued id=" + id + "' line", () ->
                server.log().matches("(?s).* queued id=" + id + " from=<alice@localhost> .*client=local.*") ? true : null);

        home.petrelOk(null, "queue", "hold", id);
        assertTrue(listLine(home, id).endsWith(" (held)"), "queue list marks " + id + " held");
        home.petrelOk(null, "queue", "release", id);
        assertFalse(listLine(home, id).contains("(held)"), "queue list no longer marks " + id + " held");
        Programs.Result deleted = home.petrelOk(null, "queue", "delete", id);
        assertTrue(deleted.stdout().contains(id + " deleted"), deleted.describe());
        assertEquals(List.of(), home.queueList(), "the queue is empty after delete");

        Programs.Result again = home.petrel(null, "queue", "delete", id);
        assertEquals(1, again.exitCode(), again.describe());
        assertTrue(again.stderr().contains("no message " + id), again.describe());
        assertTrue(server.isAlive(), "the server still runs");

        // operators' actions are events, with log lines of their own
        for (String line : List.of("held id=" + id + " by=operator", "released id=" + id + " by=operator",
                "removed id=" + id + " by=operator")) {
            Poll.until(Duration.ofSeconds(10), "the line '" + line + "'", () -> server.log().contains(line) ? true : null);
        }
        // the same feed, as JSON lines, through the running server and from the data folder alone
        List<String> types = List.of("\"type\":\"message.queued\"", "\"type\":\"message.held\"",
                "\"type\":\"message.released\"", "\"type\":\"message.removed\"");
        String running = home.petrelOk(null, "events").stdout();
        assertEquals(types, typesOf(running, id), running);
        server.stop();
        server = null;
        String stopped = home.petrelOk(null, "events").stdout();
        assertEquals(running, stopped, "the feed read from the data folder is the one the server served");
        String after = home.petrelOk(null, "events", "--after", firstCursor(running)).stdout();
        assertEquals(types.subList(1, 4), typesOf(after, id), after);
    }

    // the "type" of each event line of this message, in order, but for its delivery attempts (which are tried at
    // once and deferred, as its domain's DNS server is a dead port)
    private static List<String> typesOf(String lines, String id) {
        return lines.lines().filter(l -> l.contains("\"message_id\":\"" + id + "\""))
                .filter(l -> !l.contains("\"type\":\"message.deferred\""))
                .map(l -> l.replaceAll(".*(\"type\":\"[a-z.]+\").*", "$1")).toList();
    }

    private static String firstCursor(String lines) {
        return lines.lines().findFirst().orElseThrow().replaceAll("^\\{\"id\":\"([0-9]+)\".*", "$1");
    }

    @Test
    void withHoldMailWaitsUntilReleasedThenIsTriedAtOnce() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("hold"));
        Files.writeString(home.config(), "\n[policy]\nhold = true\n", StandardOpenOption.APPEND);
        server = home.start();
        home.petrelOk(bytes("Subject: held\n\nbody\n"), "sendmail", "-f", "alice@localhost", "bob@remote.test");
        String id = home.snapshot().getFirst().id().value();
        Poll.until(Duration.ofSeconds(10), "the server's 'queued id=" + id + " ... held' line", () ->
                server.log().matches("(?s).* queued id=" + id + " .* held\n.*") ? true : null);
        assertTrue(listLine(home, id).endsWith(" (held)"), "queue list marks " + id + " held");
        // a flush does not let held mail out
        home.petrelOk(null, "queue", "flush");
        Thread.sleep(1500);
        assertFalse(server.log().contains("deferred id=" + id), "no attempt while held:\n" + server.log());

        home.petrelOk(null, "queue", "release", id);
        // remote.test's DNS server is a dead port: the attempt right after the release defers it
        Poll.until(Duration.ofSeconds(20), "an attempt of " + id + " after its release", () ->
                server.log().contains("deferred id=" + id + " to=<bob@remote.test>") ? true : null);
        assertFalse(listLine(home, id).contains("(held)"), "queue list no longer marks " + id + " held");
    }

    @Test
    void sendmailWithoutAServerWritesTheQueueItselfAndTheServerFindsTheMessage() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("stopped"));
        // traditional sendmail: a line with a single dot ends the message
        String kept = "Subject: while no server runs\nMessage-ID: <1@sendmail.e2e.test>\n"
                + "Date: Thu, 1 Jan 2026 00:00:00 +0000\n\nbody\n";
        home.petrelOk(bytes(kept + ".\nnot part of the message\n"), "sendmail", "-f", "alice@localhost",
                "bob@remote.test", "carol@remote.test");

        List<QueuedMessage> queued = home.snapshot();
        assertEquals(1, queued.size(), "one message queued: " + queued);
        String id = queued.getFirst().id().value();
        StoredMessage stored = Queued.assertSubmittedLocally(home, id, bytes(kept.replace("\n", "\r\n")));
        assertEquals(2, stored.message().envelope().recipients().size());

        server = home.start();
        assertEquals(1, server.queuedAtStart(), "the server finds the message at start");
        assertEquals(List.of(id), home.queueList(), "queue list, with the server running, shows it");
    }

    @Test
    void sendmailBehavesAsPostfixsDoesWithItsOtherFlags() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("flags"));
        Programs.Result empty = home.petrel(bytes(""), "sendmail", "-f", "alice@localhost", "bob@remote.test");
        assertEquals(1, empty.exitCode(), empty.describe());
        assertTrue(empty.stderr().contains("no message on standard input"), empty.describe());
        Programs.Result noTo = home.petrel(bytes("Subject: nobody\n\nbody\n"), "sendmail", "-t");
        assertEquals(1, noTo.exitCode(), noTo.describe());
        assertTrue(noTo.stderr().contains("no recipient addresses found in the message's To, Cc or Bcc headers"),
                noTo.describe());
        assertTrue(home.snapshot().isEmpty(), "nothing queued");
        // -F names the sender in the From header it adds; -odb and -oem are accepted and change nothing
        home.petrelOk(bytes("Subject: named\n\nbody\n"), "sendmail", "-odb", "-oem", "-F", "Alice \"Al\" Liddell",
                "-f", "alice@localhost", "bob@remote.test");
        List<QueuedMessage> queued = home.snapshot();
        assertEquals(1, queued.size());
        String content = new String(home.readPresent(queued.getFirst().id().value()).content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("From: \"Alice \\\"Al\\\" Liddell\" <alice@localhost>\r\n"), content);
    }

    @Test
    void sendmailBsSpeaksSmtpOnItsStandardInputAndOutput() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("bs"));
        server = home.start();
        String session = "EHLO program.local\r\nMAIL FROM:<alice@localhost>\r\nRCPT TO:<bob@remote.test>\r\n"
                + "DATA\r\nSubject: over -bs\r\n\r\n..a dot-stuffed line\r\n.\r\nQUIT\r\n";
        Programs.Result r = home.petrelOk(bytes(session), "sendmail", "-bs");
        List<String> codes = r.stdout().lines().filter(l -> l.length() > 3 && l.charAt(3) == ' ')
                .map(l -> l.substring(0, 3)).toList();
        assertEquals(List.of("220", "250", "250", "250", "354", "250", "221"), codes, r.describe());
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("queued as ([0-9B-Zb]+)").matcher(r.stdout());
        assertTrue(id.find(), r.describe());
        String content = new String(home.readPresent(id.group(1)).content(), StandardCharsets.UTF_8);
        assertTrue(content.contains("\r\n.a dot-stuffed line\r\n"), content);
    }

    private static String listLine(PetrelHome home, String id) throws Exception {
        Programs.Result r = home.petrelOk(null, "queue", "list");
        return r.stdout().lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not listed:\n" + r.describe()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
