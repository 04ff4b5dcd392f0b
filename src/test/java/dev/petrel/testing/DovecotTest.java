package dev.petrel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.testing.Dovecot.LmtpListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dovecot harness against Dovecot itself: it serves a Maildir another program wrote, takes mail over both
 * LMTP listeners, listens nowhere but on 127.0.0.1 and in its folder, and leaves no process behind. Each test
 * starts its own Dovecot in a try-with-resources block, so a failed assertion still stops it; the folder of a
 * failed test is kept, with Dovecot's log and each client's output.
 */
class DovecotTest {

    private static final String ALICE = "alice@example.test";
    // a space and a quote: imaplib must quote it, and it reaches the script on standard input
    private static final String PASSWORD = "alice's secret";
    private static final Map<String, String> USERS = Map.of(ALICE, PASSWORD);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    void maildirWrittenByAnotherProgramIsServedOverImapAndPop3WithCrlfLineEndings() throws Exception {
        // as a delivery agent writes it: LF line endings, a line that is only a dot, lines that start with one
        byte[] written = """
                Return-Path: <bob@remote.test>
                From: Bob <bob@remote.test>
                To: Alice <alice@example.test>
                Subject: written by hand

                first line
                .
                .leading dot
                ..two leading dots
                last line
                """.getBytes(StandardCharsets.US_ASCII);
        Path mail = tmp.resolve("petrel-data/mail");
        Path newMessage = writeMaildirMessage(mail.resolve("example.test/alice"), written);
        // IMAP (RFC 3501 2.2) and POP3 (RFC 1939 3) lines end in CRLF: Dovecot turns each LF of the file into
        // CRLF as it serves it; POP3's dot-stuffing on the wire is undone by poplib
        byte[] served = crlf(written);
        try (Dovecot dovecot = Dovecot.start(tmp.resolve("dovecot"), "maildir:" + mail + "/%d/%n", USERS)) {
            assertMessages(List.of(served), dovecot.imapFetchAll(ALICE, PASSWORD), "IMAP");
            assertMessages(List.of(served), dovecot.pop3FetchAll(ALICE, PASSWORD), "POP3");
        }
        assertEquals(text(written), text(Files.readAllBytes(onlyMessage(mail, newMessage))),
                "the file is as it was written");
    }

    @Test
    void messagesDeliveredOverLmtpByTcpAndByUnixSocketReachTheInbox() throws Exception {
        Path store = tmp.resolve("dovecot-store");
        try (Dovecot dovecot = Dovecot.start(tmp.resolve("dovecot"), "maildir:" + store + "/%d/%n", USERS)) {
            dovecot.lmtpDeliver(LmtpListener.INET, "bob@remote.test", ALICE, lmtpMessage("over TCP"));
            dovecot.lmtpDeliver(LmtpListener.UNIX, "bob@remote.test", ALICE, lmtpMessage("over the unix socket"));

            List<byte[]> inbox = dovecot.imapFetchAll(ALICE, PASSWORD);
            assertEquals(2, inbox.size(), dovecot.log());
            assertDelivered("over TCP", text(inbox.get(0)));
            assertDelivered("over the unix socket", text(inbox.get(1)));
            assertTrue(dovecot.log().contains("saved mail to INBOX"), dovecot.log());
        }
        // Dovecot's files belong to whoever ran the tests, not to the dovecot account of its namespace
        try (Stream<Path> files = Files.walk(store.resolve("example.test/alice"))) {
            for (Path file : files.toList()) {
                assertEquals(Files.getOwner(tmp), Files.getOwner(file), file.toString());
            }
        }
    }

    @Test
    void aWrongPasswordFailsTheFetchWithTheServersAnswer() throws Exception {
        try (Dovecot dovecot = Dovecot.start(tmp.resolve("dovecot"), "maildir:" + tmp.resolve("mail") + "/%d/%n",
                USERS)) {
            IllegalStateException imap = assertThrows(IllegalStateException.class,
                    () -> dovecot.imapFetchAll(ALICE, "wrong"));
            assertTrue(imap.getMessage().contains("AUTHENTICATIONFAILED"), imap.getMessage());
            IllegalStateException pop3 = assertThrows(IllegalStateException.class,
                    () -> dovecot.pop3FetchAll(ALICE, "wrong"));
            assertTrue(pop3.getMessage().contains("-ERR [AUTH] Authentication failed"), pop3.getMessage());
            assertTrue(dovecot.imapFetchAll(ALICE, PASSWORD).isEmpty(), "a new user's INBOX is empty");
        }
    }

    @Test
    void dovecotListensOnlyOnLoopbackAndInItsFolderAndLeavesNoProcessBehind() throws Exception {
        Path dir = tmp.resolve("dovecot");
        Dovecot dovecot = Dovecot.start(dir, "maildir:" + tmp.resolve("mail") + "/%d/%n", USERS);
        List<ProcessHandle> processes;
        try {
            // a login of each kind, so that the login and auth processes run too
            dovecot.imapFetchAll(ALICE, PASSWORD);
            dovecot.pop3FetchAll(ALICE, PASSWORD);
            processes = dovecot.processes();
            Set<String> expected = Set.of("tcp 127.0.0.1:" + dovecot.imapPort(), "tcp 127.0.0.1:" + dovecot.pop3Port(),
                    "tcp 127.0.0.1:" + dovecot.lmtpPort(), "unix " + dovecot.lmtpSocket());
            Set<String> listening = ListeningSockets.of(processes);
            assertTrue(listening.containsAll(expected), "missing some of " + expected + " in " + listening);
            for (String socket : listening) {
                assertTrue(expected.contains(socket) || socket.startsWith("unix " + dir.toAbsolutePath() + "/"),
                        "Dovecot listens on " + socket);
            }
        } finally {
            dovecot.close();
        }
        assertTrue(processes.size() > 3, "master, log, config, auth, logins: " + processes);
        for (ProcessHandle p : processes) {
            assertFalse(Dovecot.running(p), () -> "process " + p.pid() + " outlived close(): " + p.info());
        }
    }

    // private to its owner, as Petrel's local delivery writes it: Dovecot reads it as that owner
    private static Path writeMaildirMessage(Path maildir, byte[] message) throws IOException {
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub), PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        // a Maildir name: time, a unique part, host; nothing after a colon, as a new message has no flags
        Path file = Files.createFile(maildir.resolve("new/1795910400.P1Q1.petrel-test"),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        return Files.write(file, message);
    }

    // reading may move the file from new/ to cur/ (and Dovecot then appends ":2," and flags to its name)
    private static Path onlyMessage(Path mail, Path written) throws IOException {
        String base = written.getFileName().toString();
        try (Stream<Path> files = Files.walk(mail)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(base)).toList();
            assertEquals(1, found.size(), "one file of " + base + ": " + found);
            return found.get(0);
        }
    }

    // LMTP, like SMTP, carries CRLF lines (RFC 5321 2.3.8); smtplib sends bytes as they are
    private static byte[] lmtpMessage(String how) {
        return crlf("""
                From: Bob <bob@remote.test>
                To: Alice <alice@example.test>
                Subject: delivered %s

                body sent %s
                .a line with a leading dot
                """.formatted(how, how).getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertDelivered(String how, String message) {
        // Dovecot's LMTP puts its trace fields (RFC 5321 4.4) before the message
        assertTrue(message.startsWith("Return-Path: <bob@remote.test>\r\nDelivered-To: alice@example.test\r\n"
                + "Received: from "), message);
        assertTrue(message.endsWith("\r\nSubject: delivered " + how + "\r\n\r\nbody sent " + how
                + "\r\n.a line with a leading dot\r\n"), message);
    }

    // compared as text, so that a failure shows where they differ; ISO 8859-1 maps each byte to one char
    private static void assertMessages(List<byte[]> expected, List<byte[]> actual, String protocol) {
        assertEquals(expected.stream().map(DovecotTest::text).toList(), actual.stream().map(DovecotTest::text).toList(),
                protocol);
    }

    private static byte[] crlf(byte[] lf) {
        return text(lf).replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The sockets a set of processes listens on, read from /proc: "tcp 127.0.0.1:143", "unix /path". */
    private static final class ListeningSockets {

        // /proc/net/tcp's state column for LISTEN, and /proc/net/unix's flag __SO_ACCEPTCON
        private static final String TCP_LISTEN = "0A";
        private static final String UNIX_ACCEPTING = "00010000";

        static Set<String> of(List<ProcessHandle> processes) throws IOException {
            Set<String> inodes = socketInodes(processes);
            Set<String> listening = new TreeSet<>();
            for (String table : List.of("tcp", "tcp6")) {
                for (String[] row : rows(Path.of("/proc/net", table))) {
                    if (row[3].equals(TCP_LISTEN) && inodes.contains(row[9])) {
                        listening.add(table + " " + address(row[1]));
                    }
                }
            }
            for (String[] row : rows(Path.of("/proc/net/unix"))) {
                if (row[3].equals(UNIX_ACCEPTING) && inodes.contains(row[6])) {
                    listening.add("unix " + (row.length > 7 ? row[7] : "(unnamed)"));
                }
            }
            return listening;
        }

        private static Set<String> socketInodes(List<ProcessHandle> processes) throws IOException {
            Set<String> inodes = new HashSet<>();
            for (ProcessHandle p : processes) {
                try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(p.pid()), "fd"))) {
                    for (Path fd : fds.toList()) {
                        String target = linkTarget(fd);
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    }
                } catch (NoSuchFileException exited) {
                    // a process that ended meanwhile, such as an imap process after LOGOUT, listens nowhere
                }
            }
            return inodes;
        }

        private static String linkTarget(Path fd) throws IOException {
            try {
                return Files.readSymbolicLink(fd).toString();
            } catch (NoSuchFileException closed) {
                return "";
            }
        }

        private static List<String[]> rows(Path table) throws IOException {
            List<String> lines = Files.readAllLines(table);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                rows.add(line.trim().split("\\s+"));
            }
            return rows;
        }

        // "0100007F:0050" is 127.0.0.1:80; an IPv6 address is left in hex: Dovecot should have none
        private static String address(String hex) {
            String[] hostPort = hex.split(":");
            int port = Integer.parseInt(hostPort[1], 16);
            if (hostPort[0].length() != 8) {
                return hostPort[0] + ":" + port;
            }
            long ip = Long.parseLong(hostPort[0], 16);
            return (ip & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 24 & 0xff)
                    + ":" + port;
        }
    }
}
