package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.testing.Dovecot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mail for local users, sent with Python's smtplib to a Petrel server process, read back through a real Dovecot:
 * over IMAP and POP3 from the Maildirs Petrel wrote, and, for domains whose transport is LMTP, from Dovecot's own
 * store after Petrel handed the mail to Dovecot's LMTP service over TCP or a Unix socket. The users, domains and
 * aliases are made with the command line.
 */
class MailboxesTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String SENDER = "sender@remote.e2e.test";
    private static final String ALICE = "alice@maildir.e2e.test";
    private static final String BOB = "bob@lmtp.e2e.test";
    private static final String CAROL = "carol@unix.e2e.test";
    private static final String PASSWORD = "mailbox-secret";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    // what Petrel puts before the client's bytes in a Maildir: its delivery headers, its results, its Received header
    private static final Pattern MAILDIR_TRACE = Pattern.compile("Return-Path: <" + Pattern.quote(SENDER) + ">\r\n"
            + "Delivered-To: (\\S+)\r\n" + PetrelHome.RESULTS + "Received: from python\\.e2e\\.test \\(\\[127\\.0\\.0\\.1\\]\\)\r\n(\t[^\r\n]*\r\n)+");

    private static Dovecot dovecot;
    private static PetrelHome home;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Programs.require("python3", "python3");
        Path dir = scratch.newFolder("mailboxes");
        Path data = dir.resolve("data").toAbsolutePath();
        dovecot = Dovecot.start(scratch.newFolder("dovecot"), "maildir:" + data + "/mail/%d/%n",
                Map.of(ALICE, PASSWORD, BOB, PASSWORD, CAROL, PASSWORD));
        home = PetrelHome.create(dir, Map.of(
                "lmtp.e2e.test", "lmtp:127.0.0.1:" + dovecot.lmtpPort(),
                "unix.e2e.test", "lmtp:unix:" + dovecot.lmtpSocket()));
        for (String domain : List.of("maildir.e2e.test", "lmtp.e2e.test", "unix.e2e.test")) {
            home.petrelOk(null, "domain", "add", domain, "--local");
        }
        for (String user : List.of(ALICE, BOB, CAROL)) {
            home.addUser(user, PASSWORD);
        }
        home.petrelOk(null, "alias", "add", "sales@maildir.e2e.test", ALICE);
        home.petrelOk(null, "alias", "add", "team@maildir.e2e.test", ALICE, BOB);
        Programs.Result aliases = home.petrelOk(null, "alias", "list");
        assertEquals("sales@maildir.e2e.test -> " + ALICE + "\nteam@maildir.e2e.test -> " + ALICE + ", " + BOB + "\n",
                aliases.stdout(), aliases.describe());
        server = home.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void mailForAMaildirUserIsServedByDovecotOverImapAndPop3ByteForByte() throws Exception {
        byte[] original = message("maildir");
        send(ALICE, original);
        byte[] fetched = arrived(ALICE, original);
        String trace = traceOf(fetched, original);
        assertTrue(MAILDIR_TRACE.matcher(trace).matches(), "not Petrel's trace headers alone:\n" + trace);
        assertTrue(trace.contains("Delivered-To: " + ALICE + "\r\n"), trace);
        byte[] popped = only(dovecot.pop3FetchAll(ALICE, PASSWORD), original);
        assertArrayEquals(fetched, popped, "POP3 serves the same bytes as IMAP");
    }

    @Test
    void anAliasAndASubAddressReachTheUsersMailboxAndAnUnknownNameIsRefused() throws Exception {
        byte[] viaAlias = message("alias");
        send("Sales@maildir.e2e.test", viaAlias);
        String trace = traceOf(arrived(ALICE, viaAlias), viaAlias);
        // the copy went through the queue again: the alias's mark comes after the final delivery's headers
        assertTrue(trace.startsWith("Return-Path: <" + SENDER + ">\r\nDelivered-To: " + ALICE + "\r\n"
                + "Delivered-To: Sales@maildir.e2e.test\r\n"), trace);

        // the copy the alias queued has its own queued line, as its original's delivered line names it
        java.util.regex.Matcher forwarded = Pattern.compile("reply=\"250 2\\.0\\.0 Forwarded as (\\S+)\"")
                .matcher(server.log());
        assertTrue(forwarded.find(), server.log());
        assertTrue(server.log().contains("queued id=" + forwarded.group(1) + " from=<" + SENDER + "> "), server.log());

        byte[] tagged = message("sub-address");
        send("alice+orders@maildir.e2e.test", tagged);
        assertTrue(traceOf(arrived(ALICE, tagged), tagged).contains("Delivered-To: alice+orders@maildir.e2e.test\r\n"));

        JsonNode refused = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("mx")), "--tls", "none", "--auth", "none",
                "--sender", SENDER, "--rcpt", "nobody@maildir.e2e.test", "--message", write(message("unknown")).toString());
        assertEquals(550, refused.path("rcpt").get(0).asInt(), refused.toString());
        assertTrue(refused.path("rcpt").get(1).asText().startsWith("5.1.1 "), refused.toString());
    }

    @Test
    void anAliasToAMaildirUserAndAnLmtpUserReachesBoth() throws Exception {
        byte[] original = message("team");
        send("team@maildir.e2e.test", original);
        arrived(ALICE, original);
        arrived(BOB, original);
    }

    @Test
    void lmtpOverTcpAndOverAUnixSocketDeliversIntoDovecotsOwnStore() throws Exception {
        for (String user : List.of(BOB, CAROL)) {
            byte[] original = message("lmtp " + user);
            send(user, original);
            String trace = traceOf(arrived(user, original), original);
            // Dovecot's LMTP adds its own delivery headers; Petrel's Received header follows them
            assertTrue(trace.startsWith("Return-Path: <" + SENDER + ">\r\n"), trace);
            assertTrue(trace.contains("Delivered-To: " + user + "\r\n"), trace);
            assertTrue(trace.contains("(Petrel) with ESMTP id "), trace);
        }
        String log = server.log();
        assertTrue(log.contains("to=<" + BOB + "> relay=127.0.0.1[127.0.0.1]:" + dovecot.lmtpPort() + " "), log);
        assertTrue(log.contains("to=<" + CAROL + "> relay=localhost[" + dovecot.lmtpSocket() + "] "), log);
    }

    @Test
    void aFullMailboxDefersTheMessageAndTheQuotaCommandSetsAndClearsIt() throws Exception {
        String dave = "dave@maildir.e2e.test";
        home.addUser(dave, PASSWORD);
        home.petrelOk(null, "user", "quota", dave, "100");
        assertTrue(home.petrelOk(null, "user", "list").stdout().contains(dave + " quota=100\n"));
        send(dave, message("too big for the quota"));
        Poll.until(ARRIVAL, "the deferral for " + dave, () -> server.log().matches(
                "(?s).*deferred id=\\S+ to=<" + Pattern.quote(dave) + "> relay=local .*dsn=4\\.2\\.2 .*") ? true : null);
        Programs.Result none = home.petrelOk(null, "user", "quota", dave, "none");
        assertTrue(none.stdout().contains(dave + " has no quota"), none.describe());
        // a wrong value is a validation error (1), not a usage error (2), and the message names the argument
        Programs.Result bad = home.petrel(null, "user", "quota", dave, "lots");
        assertEquals(1, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().contains("(SIZE): 'lots'"), bad.describe());
    }

    // --- helpers

    private static byte[] message(String what) {
        String token = UUID.randomUUID().toString();
        String text = "From: <" + SENDER + ">\r\nSubject: " + what + "\r\nMessage-ID: <" + token + "@remote.e2e.test>\r\n"
                + "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\nToken " + token + "\r\n.a line that starts with a dot\r\n"
                + "caf\u00e9 in 8 bits\r\nlast line\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(String rcpt, byte[] original) throws Exception {
        JsonNode r = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("mx")), "--tls", "none", "--auth", "none",
                "--sender", SENDER, "--rcpt", rcpt, "--message", write(original).toString());
        assertEquals(250, r.path("data").get(0).asInt(), "end of DATA: " + r);
    }

    private static Path write(byte[] message) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        return file;
    }

    /** The user's one message that ends with the original bytes, fetched over IMAP once it is there. */
    private static byte[] arrived(String user, byte[] original) throws Exception {
        return Poll.until(ARRIVAL, "the message for " + user + " over IMAP", () -> {
            List<byte[]> matching = matching(dovecot.imapFetchAll(user, PASSWORD), original);
            assertTrue(matching.size() <= 1, "delivered " + matching.size() + " times to " + user);
            return matching.isEmpty() ? null : matching.getFirst();
        });
    }

    private static byte[] only(List<byte[]> messages, byte[] original) {
        List<byte[]> matching = matching(messages, original);
        assertEquals(1, matching.size(), "one message ends with the bytes sent");
        return matching.getFirst();
    }

    private static List<byte[]> matching(List<byte[]> messages, byte[] original) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] m : messages) {
            if (m.length > original.length
                    && Arrays.equals(original, Arrays.copyOfRange(m, m.length - original.length, m.length))) {
                out.add(m);
            }
        }
        return out;
    }

    private static String traceOf(byte[] fetched, byte[] original) {
        return new String(fetched, 0, fetched.length - original.length, StandardCharsets.UTF_8);
    }

}
