package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petrel.dns.Dnsmasq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys made with {@code petrel dkim keygen}, mail submitted with Python's smtplib over STARTTLS and AUTH, the
 * queued message checked by dkimpy, which finds the keys in a private dnsmasq serving the TXT records the command
 * printed: both signatures (RSA and Ed25519) pass. Mail from an unauthenticated client is not signed.
 */
class DkimSigningTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String USER = "alice@localhost";
    private static final String PASSWORD = "mailbox-secret";
    private static final Pattern ZONE_LINE = Pattern.compile("^(\\S+)\\. IN TXT ((?:\"[^\"]*\" ?)+)$", Pattern.MULTILINE);

    private static PetrelHome home;
    private static ServerProcess server;
    private static final Map<String, String> RECORDS = new LinkedHashMap<>();
    private static Dnsmasq dns;

    @BeforeAll
    static void startServer() throws Exception {
        Programs.require("python3", "python3");
        home = PetrelHome.create(scratch.newFolder("home"));
        home.addUser(USER, PASSWORD);
        published(home.petrelOk(null, "dkim", "keygen", "localhost", "--selector", "rsa1"));
        published(home.petrelOk(null, "dkim", "keygen", "localhost", "--algorithm", "ed25519", "--selector", "ed1"));
        Programs.Result listed = home.petrelOk(null, "dkim", "list");
        assertTrue(listed.stdout().contains("rsa1._domainkey.localhost rsa active\n")
                && listed.stdout().contains("ed1._domainkey.localhost ed25519 active\n"), listed.describe());
        server = home.start();
        List<String> records = new ArrayList<>(List.of("--local=/localhost/", "--host-record=ready.localhost,127.0.0.1"));
        RECORDS.forEach((name, text) -> records.add("--txt-record=" + name + "," + String.join(",", chunks(text))));
        dns = new Dnsmasq("ready.localhost", records);
    }

    // RFC 1035 3.3.14: at most 255 octets per TXT string
    private static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            out.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return out;
    }

    // the record as keygen printed it, its TXT strings joined (RFC 7208 3.3 and RFC 6376 3.6.2.2 do the same)
    private static void published(Programs.Result keygen) {
        Matcher m = ZONE_LINE.matcher(keygen.stdout());
        assertTrue(m.find(), keygen.describe());
        String joined = String.join("", m.group(2).strip().replaceAll("^\"|\"$", "").split("\" \""));
        RECORDS.put(m.group(1), joined);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            try {
                dns.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void aSubmissionIsSignedWithBothKeysAndDkimpyPassesBoth() throws Exception {
        byte[] original = ("From: Alice <" + USER + ">\r\nTo: <bob@remote.test>\r\nSubject: signed  at intake\r\n"
                + "\r\nHello Bob,\r\n.a dotted line\r\n").getBytes(StandardCharsets.US_ASCII);
        JsonNode r = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("submission")), "--tls", "starttls",
                "--auth", "plain", "--user", USER, "--password", PASSWORD, "--sender", USER,
                "--rcpt", "bob@remote.test", "--message", write(original).toString());
        assertEquals(250, r.path("data").get(0).asInt(), r.toString());
        String id = Queued.idIn("250 " + r.path("data").get(1).asText());
        byte[] queued = home.readPresent(id).content();
        String text = new String(queued, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("DKIM-Signature: v=1; a=rsa-sha256;"), text);
        assertEquals(List.of("pass", "pass"), dkimpy(queued));
        // a Message-ID and Date were added at intake, under the signatures, and signed with the rest
        assertTrue(text.matches("(?s).*\\bh=from:from:subject:subject:date:date:to:to:message-id;.*"), text);
    }

    @Test
    void mailFromAnUnauthenticatedClientIsNotSigned() throws Exception {
        byte[] original = ("From: <someone@remote.test>\r\nTo: <" + USER + ">\r\nSubject: inbound\r\n\r\nhi\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        JsonNode r = Smtplib.run(home.dir(), "send", "--port", String.valueOf(server.port("mx")), "--tls", "none", "--auth", "none",
                "--sender", "someone@remote.test", "--rcpt", USER, "--message", write(original).toString());
        String id = Queued.idIn("250 " + r.path("data").get(1).asText());
        assertFalse(new String(home.readPresent(id).content(), StandardCharsets.US_ASCII).contains("DKIM-Signature"));
    }

    private static Path write(byte[] message) throws Exception {
        Path file = Files.createTempFile(home.dir(), "message-", ".eml");
        Files.write(file, message);
        return file;
    }

    private static List<String> dkimpy(byte[] message) throws Exception {
        Path file = write(message);
        Path script = Path.of("src/test/resources/mailauth/dkim_verify.py").toAbsolutePath();
        // Debian's python3-dkim is in the system's Python
        Programs.Result r = Programs.run(home.dir(), "dkimpy", List.of("/usr/bin/python3", script.toString(),
                file.toString(), "--dns", dns.address()), null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout().lines().toList();
    }

}
