package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.petrel.mail.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenDKIM's library (Debian opendkim-tools: opendkim-testmsg) verifies Petrel's signatures. It asks the system's
 * resolver, so it runs in a mount namespace of its own whose /etc/resolv.conf names a private dnsmasq on
 * 127.0.0.77 port 53 (loopback; we are root), which serves the keys.
 */
class OpendkimTest {

    private static final String DNS_ADDRESS = "127.0.0.77";
    private static final Domain DOMAIN = Domain.parse("odkim.test");

    @TempDir
    static Path dir;

    private static Process dnsmasq;
    private static DkimKey rsa;
    private static DkimKey ed25519;

    @BeforeAll
    static void startDns() throws Exception {
        SecureRandom random = new SecureRandom();
        rsa = DkimKey.generate(DOMAIN, "rsa1", DkimAlgorithm.RSA_SHA256, random);
        ed25519 = DkimKey.generate(DOMAIN, "ed1", DkimAlgorithm.ED25519_SHA256, random);
        List<String> command = new ArrayList<>(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--port=53",
                "--listen-address=" + DNS_ADDRESS, "--bind-interfaces", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--user=root", "--pid-file=" + dir.resolve("dnsmasq.pid"), "--local=/odkim.test/",
                "--host-record=ready.odkim.test,127.0.0.1"));
        for (DkimKey k : List.of(rsa, ed25519)) {
            command.add("--txt-record=" + k.recordName() + "," + String.join(",", k.recordStrings()));
        }
        dnsmasq = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        Files.writeString(dir.resolve("resolv.conf"), "nameserver " + DNS_ADDRESS + "\noptions timeout:2 attempts:2\n");
        // ready when it answers
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (run(List.of("getent", "hosts", "ready.odkim.test"), null).exit != 0) {
            if (System.nanoTime() > deadline || !dnsmasq.isAlive()) {
                throw new IllegalStateException("dnsmasq on " + DNS_ADDRESS + ":53 did not start: "
                        + Files.readString(dir.resolve("dnsmasq.log")));
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stopDns() throws InterruptedException {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Result(int exit, String output) {}

    // the command in a mount namespace where /etc/resolv.conf is ours
    private static Result run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        String inner = "mount --bind " + dir.resolve("resolv.conf") + " /etc/resolv.conf && exec " + String.join(" ", command);
        Process p = new ProcessBuilder("unshare", "--mount", "sh", "-c", inner).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static final String MESSAGE = "From: Alice <alice@odkim.test>\r\nTo: bob@example.org\r\n"
            + "Subject: checked by OpenDKIM\r\nDate: Sun, 1 Nov 2026 12:00:00 +0000\r\nMessage-ID: <1@odkim.test>\r\n"
            + "\r\nHello,\r\n\r\nthis body  has  runs of spaces\t\r\nand trailing blank lines\r\n\r\n\r\n";

    private static byte[] signed(DkimKey key, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] sig = DkimSigner.sign(new byte[0], m, List.of(key), Instant.now());
        byte[] out = java.util.Arrays.copyOf(sig, sig.length + m.length);
        System.arraycopy(m, 0, out, sig.length, m.length);
        return out;
    }

    @Test
    void opendkimVerifiesPetrelsRsaSignature() throws Exception {
        Result r = run(List.of("opendkim-testmsg"), signed(rsa, MESSAGE));
        assertEquals(new Result(0, ""), r);
    }

    @Test
    void opendkimVerifiesPetrelsEd25519Signature() throws Exception {
        Result r = run(List.of("opendkim-testmsg"), signed(ed25519, MESSAGE));
        assertEquals(new Result(0, ""), r);
    }

    @Test
    void opendkimRejectsAChangedMessage() throws Exception {
        String changed = new String(signed(rsa, MESSAGE), StandardCharsets.UTF_8).replace("Hello,", "Goodbye,");
        Result r = run(List.of("opendkim-testmsg"), changed.getBytes(StandardCharsets.UTF_8));
        assertNotEquals(0, r.exit(), r.output());
        assertEquals("opendkim-testmsg: dkim_eom(): Bad signature", r.output().strip());
    }
}
