package dev.petrel.delivery.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.Address;
import dev.petrel.testing.HandClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maildir files as the specification and Dovecot expect them. */
class MaildirsTest {

    @TempDir
    Path dir;

    private final Maildirs maildirs = new Maildirs("mx.petrel.test", new HandClock());

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aDeliveryMakesTheMailboxAndLandsInNewWithLfLineEnds() throws IOException {
        Path box = dir.resolve("mail/example.com/alice");
        Path file = maildirs.deliver(box, bytes("Return-Path: <a@b.test>\r\n"), bytes("Subject: x\r\n\r\nbody\r\n"));
        assertEquals(box.resolve("new"), file.getParent());
        assertEquals("Return-Path: <a@b.test>\nSubject: x\n\nbody\n", Files.readString(file));
        for (String sub : List.of("tmp", "new", "cur")) {
            assertTrue(Files.isDirectory(box.resolve(sub)), sub);
        }
        assertEquals(List.of(), files(box.resolve("tmp")), "nothing is left behind in tmp/");
        // mailboxes are private to their owner
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(box)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void theNameCarriesTheSizeAndTheSizeWithCrlf() throws IOException {
        Path file = maildirs.deliver(dir.resolve("box"), new byte[0], bytes("a\r\nbb\r\n\r\nccc\r\n"));
        Matcher m = Pattern.compile(".*,S=(\\d+),W=(\\d+)").matcher(file.getFileName().toString());
        assertTrue(m.matches(), file.toString());
        assertEquals(Files.size(file), Long.parseLong(m.group(1)));
        // RFC822.SIZE as IMAP reports it: every LF counted as CRLF
        assertEquals(14, Long.parseLong(m.group(2)));
    }

    @Test
    void namesAreUniqueEvenInTheSameMicrosecond() throws IOException {
        Path box = dir.resolve("box");
        Path first = maildirs.deliver(box, new byte[0], bytes("x\r\n"));
        Path second = maildirs.deliver(box, new byte[0], bytes("x\r\n"));
        assertNotEquals(first, second);
        assertEquals(2, files(box.resolve("new")).size());
    }

    @Test
    void hostNameCharactersThatMaildirReservesAreEscaped() {
        assertEquals("a\\057b\\072c\\054d", Maildirs.escapeHost("a/b:c,d"));
    }

    @Test
    void usageCountsNewAndCurByTheSizesInTheNames() throws IOException {
        Path box = dir.resolve("box");
        maildirs.deliver(box, new byte[0], bytes("12345\r\n"));
        Path moved = maildirs.deliver(box, new byte[0], bytes("1234567890\r\n"));
        Files.move(moved, box.resolve("cur").resolve(moved.getFileName() + ":2,S"));
        // a file written by something else, without a size in its name
        Files.writeString(box.resolve("cur/foreign"), "abc");
        assertEquals(6 + 11 + 3, maildirs.usage(box));
        assertEquals(0, maildirs.usage(dir.resolve("nobody")));
    }

    @Test
    void aMailboxRemovedBehindOurBackIsMadeAgain() throws IOException {
        Path box = dir.resolve("box");
        maildirs.deliver(box, new byte[0], bytes("x\r\n"));
        try (Stream<Path> walk = Files.walk(box)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThrows(IOException.class, () -> maildirs.deliver(box, new byte[0], bytes("x\r\n")));
        Path again = maildirs.deliver(box, new byte[0], bytes("y\r\n"));
        assertArrayEquals(bytes("y\n"), Files.readAllBytes(again));
    }

    @Test
    void theLayoutFollowsDovecotsVariables() {
        MaildirLayout layout = new MaildirLayout(dir, "mail/%d/%n");
        assertEquals(dir.resolve("mail/example.com/alice"), layout.mailbox(Address.of("alice@example.com")));
        assertEquals(dir.resolve("boxes/alice@example.com/Maildir"),
                new MaildirLayout(dir, "boxes/%u/Maildir").mailbox(Address.of("alice@example.com")));
        assertEquals(Path.of("/var/mail/example.com/alice%"),
                new MaildirLayout(dir, "/var/mail/%d/%n%%").mailbox(Address.of("alice@example.com")));
        // names that would leave their place in the tree have no Maildir
        assertThrows(IllegalArgumentException.class, () -> layout.mailbox(Address.of("a/b@example.com")));
        assertThrows(IllegalArgumentException.class, () -> layout.mailbox(Address.of("\"..\"@example.com")));
        assertThrows(IllegalArgumentException.class, () -> new MaildirLayout(dir, "mail/%d"));
    }
}
