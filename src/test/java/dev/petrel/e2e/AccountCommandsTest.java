package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user and domain commands, run as processes against the store of a server that runs meanwhile. */
class AccountCommandsTest {

    @TempDir
    Path dir;

    // the reply to RCPT TO on the mx listener, after EHLO and MAIL FROM
    /**
     * The server answers RCPT for the recipient with that reply within two seconds: it keeps what it read of the
     * accounts for one (as it re-read accounts.json once a second before they were in SQL).
     */
    private static void assertReply(int port, String recipient, String expected, String what) throws Exception {
        long deadline = System.nanoTime() + 2_000_000_000L;
        String reply = rcptReply(port, recipient);
        while (!reply.startsWith(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            reply = rcptReply(port, recipient);
        }
        assertTrue(reply.startsWith(expected), what + ": " + reply);
    }

    private static String rcptReply(int port, String recipient) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            reply(in);
            for (String command : new String[] {"EHLO client.test", "MAIL FROM:<someone@remote.test>"}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                reply(in);
            }
            out.write(("RCPT TO:<" + recipient + ">\r\n").getBytes(StandardCharsets.US_ASCII));
            return reply(in);
        }
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Test
    void addingTheLocalDomainAgainKeepsItLocalAndTheServerSeesUsersWithinASecond() throws Exception {
        PetrelHome home = PetrelHome.create(dir);
        try (ServerProcess server = home.start()) {
            int mx = server.port("mx");
            assertTrue(rcptReply(mx, "bob@localhost").startsWith("550 5.1.1"), "no such user yet");
            home.addUser("bob@localhost", "bob-secret");
            assertReply(mx, "bob@localhost", "250", "the server sees the new user within a second");
            // `domain add localhost` once made the local domain a sending one: port 25 then refused its users (554)
            Programs.Result again = home.petrelOk(null, "domain", "add", "localhost");
            assertEquals("domain localhost exists already (local); unchanged\n", again.stdout(), again.describe());
            assertTrue(home.petrelOk(null, "domain", "list").stdout().contains("localhost local\n"));
            assertReply(mx, "bob@localhost", "250", "still local");
            // changing the kind must be asked for, and is said
            Programs.Result sending = home.petrelOk(null, "domain", "add", "localhost", "--sending");
            assertEquals("domain localhost was local; it is a sending domain now\n", sending.stdout(), sending.describe());
            assertReply(mx, "bob@localhost", "554 5.7.1", "a sending domain's mail is relayed, not received");
            Programs.Result local = home.petrelOk(null, "domain", "add", "localhost", "--local");
            assertEquals("domain localhost was a sending domain; it is local now\n", local.stdout(), local.describe());
            assertReply(mx, "bob@localhost", "250", "local again");
            assertEquals(2, home.petrel(null, "domain", "add", "x.test", "--local", "--sending").exitCode());
        }
        Path db = home.dataDir().resolve("petrel.db");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(db));
    }

    @Test
    void theFirstCommandImportsAnOldAccountsFileAndSaysSo() throws Exception {
        PetrelHome home = PetrelHome.create(dir);
        Files.createDirectories(home.dataDir());
        Files.writeString(home.dataDir().resolve("accounts.json"), """
                { "domains" : [ { "name" : "localhost", "local" : true }, { "name" : "old.test", "local" : true } ],
                  "users" : [], "aliases" : [], "dkim_keys" : [] }
                """);
        Programs.Result list = home.petrelOk(null, "domain", "list");
        assertEquals("localhost local\nold.test local\n", list.stdout(), list.describe());
        assertTrue(list.stderr().contains("petrel: imported 0 users, 2 domains, 0 aliases, 0 DKIM keys from"
                + " accounts.json into petrel.db; the old file is kept as accounts.json.imported"), list.describe());
        assertFalse(Files.exists(home.dataDir().resolve("accounts.json")));
        assertTrue(Files.exists(home.dataDir().resolve("accounts.json.imported")));
        Programs.Result again = home.petrelOk(null, "domain", "list");
        assertEquals("", again.stderr(), again.describe());
    }

    @Test
    void shortPasswordsSelfAliasesAndKeysForUnknownDomainsAreRefusedOrWarnedOf() throws Exception {
        PetrelHome home = PetrelHome.create(dir);
        Programs.Result shortPassword = home.petrel("x\n".getBytes(StandardCharsets.UTF_8), "user", "add", "ann@localhost");
        assertEquals(1, shortPassword.exitCode(), shortPassword.describe());
        assertTrue(shortPassword.stderr().contains("at least 8 characters"), shortPassword.describe());
        Programs.Result self = home.petrel(null, "alias", "add", "a@localhost", "a@localhost");
        assertEquals(1, self.exitCode(), self.describe());
        assertTrue(self.stderr().contains("loop"), self.describe());
        Programs.Result key = home.petrelOk(null, "dkim", "keygen", "unknown.test", "--algorithm", "ed25519");
        assertTrue(key.stderr().contains("warning: unknown.test is not a domain Petrel knows"), key.describe());
        home.petrelOk(null, "domain", "add", "gone.test", "--local");
        home.petrelOk(null, "alias", "add", "sales@gone.test", "bob@localhost");
        Programs.Result removed = home.petrelOk(null, "domain", "remove", "gone.test");
        assertTrue(removed.stdout().contains("removed its 1 alias(es): sales@gone.test"), removed.describe());
        assertFalse(home.petrelOk(null, "alias", "list").stdout().contains("sales@gone.test"));
    }
}
