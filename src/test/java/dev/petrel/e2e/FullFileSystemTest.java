package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found from outside: with the data folder on a small file system, a message refused with 451 when the disk
 * filled was followed, once space was freed, by one acknowledged with 250 that a restart then lost. Here the data
 * folder is a real tmpfs of a few MiB (the tests run as root, as CI does); Python's smtplib sends 1 MiB messages.
 */
class FullFileSystemTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final int MESSAGE = 1 << 20;

    private ServerProcess server;
    private Path mount;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mount != null) {
            Programs.run(mount.getParent(), "umount", List.of("umount", mount.toString()), null, Programs.CLIENT_TIMEOUT);
        }
    }

    @Test
    void aMessageAcknowledgedAfterTheDiskWasFullSurvivesARestart() throws Exception {
        Path dir = scratch.newFolder("full-disk");
        PetrelHome home = PetrelHome.create(dir);
        mount = dir.resolve("data");
        Files.createDirectories(mount);
        Programs.Result mounted = Programs.run(dir, "mount", List.of("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs",
                mount.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, mounted.exitCode(), "the test mounts a small tmpfs, as root: " + mounted.describe());
        reserve(home, "0");
        home.addUser("alice@localhost", "alice-secret");
        server = home.start();
        Path message = dir.resolve("message.eml");
        Files.write(message, message());

        assertEquals(250, send(home, message), "the first message fits");
        // leave room for about half a message: the next one is torn by the full disk
        Path filler = mount.resolve("filler");
        fill(filler, Files.getFileStore(mount).getUsableSpace() - MESSAGE / 2);
        assertEquals(452, send(home, message), "the disk is full: 452 4.3.1 Insufficient system storage");
        // the SQLite store on the same full disk: a change is refused with a clear error, and nothing breaks
        fill(mount.resolve("filler-2"), Files.getFileStore(mount).getUsableSpace());
        Programs.Result add = home.petrel("bob-secret\n".getBytes(StandardCharsets.UTF_8), "user", "add", "bob@localhost");
        assertEquals(1, add.exitCode(), add.describe());
        assertTrue(add.stderr().startsWith("petrel: ") && add.stderr().toLowerCase().contains("full"), add.describe());
        assertFalse(add.stderr().contains("\tat "), "no stack trace: " + add.describe());
        Files.delete(mount.resolve("filler-2"));
        Files.delete(filler);
        home.addUser("bob@localhost", "bob-secret");
        assertEquals(250, send(home, message), "space was freed");
        assertEquals(2, home.queueList().size(), server.log());

        server.stop();
        server = home.start();
        assertEquals(2, server.queuedAtStart(), "both acknowledged messages are there after a restart\n" + server.log());
        assertEquals(2, home.queueList().size());
    }

    @Test
    void belowTheReserveMailIsRefusedAtMailFromAndTakenAgainOnceThereIsSpace() throws Exception {
        Path dir = scratch.newFolder("reserve");
        PetrelHome home = PetrelHome.create(dir);
        mount = dir.resolve("data");
        Files.createDirectories(mount);
        Programs.Result mounted = Programs.run(dir, "mount", List.of("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs",
                mount.toString()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, mounted.exitCode(), mounted.describe());
        reserve(home, "4MiB");
        home.addUser("alice@localhost", "alice-secret");
        server = home.start();
        Path message = dir.resolve("message.eml");
        Files.write(message, message());
        assertEquals(250, send(home, message), "above the reserve");
        Path filler = mount.resolve("filler");
        fill(filler, Files.getFileStore(mount).getUsableSpace() - (3 << 20));
        String refused = mailFrom(server.port("mx"), 0);
        assertTrue(refused.startsWith("452 4.3.1 "), "below the reserve, before any data: " + refused);
        assertTrue(mailFrom(server.port("mx"), 0).startsWith("452 4.3.1 "));
        Files.delete(filler);
        assertTrue(mailFrom(server.port("mx"), 2 << 20).startsWith("250 "), "space again");
        assertTrue(mailFrom(server.port("mx"), 14L << 20).startsWith("452 4.3.1 "),
                "RFC 1870: a SIZE larger than the space left is refused at MAIL");
        assertEquals(250, send(home, message));
        assertEquals(2, home.queueList().size(), server.log());
    }

    // the reply to MAIL FROM (with SIZE when size > 0) on the mx listener
    private static String mailFrom(int port, long size) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            var out = s.getOutputStream();
            reply(in);
            out.write("EHLO reserve.test\r\n".getBytes(StandardCharsets.US_ASCII));
            reply(in);
            out.write(("MAIL FROM:<sender@remote.e2e.test>" + (size > 0 ? " SIZE=" + size : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return reply(in);
        }
    }

    private static String reply(java.io.BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private static void reserve(PetrelHome home, String octets) throws IOException {
        Files.writeString(home.config(), Files.readString(home.config()) + "\n[limits]\nqueue_reserve = \"" + octets
                + "\"\n");
    }

    private int send(PetrelHome home, Path message) throws Exception {
        JsonNode r = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("mx")), "--tls", "none",
                "--auth", "none", "--sender", "sender@remote.e2e.test", "--rcpt", "alice@localhost",
                "--message", message.toString());
        JsonNode data = r.path("data");
        assertTrue(data.isArray(), r.toString());
        return data.get(0).asInt();
    }

    private static byte[] message() {
        StringBuilder s = new StringBuilder("From: sender@remote.e2e.test\r\nTo: alice@localhost\r\nSubject: big\r\n\r\n");
        String line = "0123456789".repeat(7) + "\r\n";
        while (s.length() < MESSAGE) {
            s.append(line);
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[64 << 10];
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
