package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.Alias;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.cli.Petrel;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.mailauth.Dkimpy;
import dev.petrel.store.Stores;
import dev.petrel.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARC (RFC 8617) end to end: mail arrives on mx for aliases that forward to dest.petrel-test, whose MX (in a real
 * dnsmasq) is a scripted sink on 127.0.0.31. Petrel checks the arriving chain, writes arc= into its
 * Authentication-Results, and seals the forwarded copy with the alias's domain's DKIM key; dkimpy's arc_verify,
 * with the keys from the same dnsmasq, passes the whole chain at the sink. A domain without a key forwards
 * unsealed and says so in the log once.
 */
class ArcForwardingTest {

    private static final String SINK = "127.0.0.31";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;

    private static DkimKey origin;
    private static DkimKey relay;
    private static Mx mx;
    private static ScriptedPeer peer;
    private static Dnsmasq dns;
    private static Petrel petrel;
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        origin = DkimKey.generate(Domain.parse("origin.petrel-test"), "o1", DkimAlgorithm.RSA_SHA256, RANDOM);
        relay = DkimKey.generate(Domain.parse("relay.petrel-test"), "r1", DkimAlgorithm.RSA_SHA256, RANDOM);
        DkimKey forwarder = DkimKey.generate(Domain.parse("fwd.petrel-test"), "arc1", DkimAlgorithm.RSA_SHA256, RANDOM);
        mx = new Mx();
        peer = ScriptedPeer.start(SINK, 0, mx);
        mx.bind(peer);
        List<String> keys = new ArrayList<>();
        for (DkimKey k : List.of(origin, relay, forwarder)) {
            keys.add("--txt-record=" + k.recordName() + "," + String.join(",", k.recordStrings()));
        }
        dns = PrometheusMetricsTest.dnsWithMx(SINK, keys);
        Path data = dir.resolve("data");
        // no relay networks: the test's client is a stranger, whose mail mx checks
        Config config = ConfigLoader.parse(PrometheusMetricsTest.configToml(data, dns.address(), peer.port(),
                "mx.fwd.petrel-test", List.of("fwd.petrel-test", "nokey.petrel-test"), List.of()), data);
        try (Stores stores = Stores.open(config.storeUrl(), config.dataDir(),
                List.of(Domain.parse("fwd.petrel-test"), Domain.parse("nokey.petrel-test")), line -> {})) {
            stores.aliases().add(Alias.parse("list@fwd.petrel-test", List.of(Address.of("bob@dest.petrel-test"))));
            stores.aliases().add(Alias.parse("list@nokey.petrel-test", List.of(Address.of("carol@dest.petrel-test"))));
            stores.dkimKeys().add(new DkimKeyEntry(forwarder.domain(), forwarder.selector(), "rsa", forwarder.pkcs8(),
                    true));
        }
        petrel = Petrel.start(config, new PrintStream(LOG, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        if (petrel != null) {
            petrel.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private static byte[] message(String subject) {
        return ("From: Alice <alice@origin.petrel-test>\r\nTo: list@fwd.petrel-test\r\nSubject: " + subject + "\r\n"
                + "Date: Sun, 1 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + subject.replace(' ', '-')
                + "@origin.petrel-test>\r\n\r\nHello,  list\r\n").getBytes(StandardCharsets.UTF_8);
    }

    // a message as relay.petrel-test would have sent it on: with its Authentication-Results and dkimpy's ARC set
    private static byte[] relayed(String subject) throws Exception {
        byte[] atRelay = concat(bytes("Authentication-Results: relay.petrel-test;"
                + " spf=pass smtp.mailfrom=origin.petrel-test\r\n"), message(subject));
        return Dkimpy.arcSign(dir, atRelay, relay, "relay.petrel-test");
    }

    @Test
    void aSignedMessageForwardedByAnAliasIsSealedAndDkimpyPassesTheSeal() throws Exception {
        byte[] signed = Dkimpy.sign(dir, message("first hop"), origin, "relaxed/relaxed", false);
        String received = sendAndAwait(signed, "list@fwd.petrel-test", "first hop");
        assertTrue(received.startsWith("ARC-Seal: i=1; cv=none; a=rsa-sha256; d=fwd.petrel-test; s=arc1;"), received);
        assertTrue(received.contains("ARC-Authentication-Results: i=1; mx.fwd.petrel-test;"), received);
        assertTrue(received.matches("(?s).*ARC-Authentication-Results: [^\\r]*\r\n(\t[^\r]*\r\n)*"
                + "\tdkim=pass header\\.d=origin\\.petrel-test.*"), received);
        assertEquals(List.of("cv=pass", "i=1 ams=True as=True"), Dkimpy.arcVerify(dir, bytes(received), null,
                dns.address()));
    }

    @Test
    void aChainThatArrivesIsVerifiedAndPetrelAddsInstanceTwo() throws Exception {
        String received = sendAndAwait(relayed("second hop"), "list@fwd.petrel-test", "second hop");
        // Petrel's Authentication-Results from mx, and the same results carried in its set
        assertTrue(received.contains("\tarc=pass (i=1)\r\nDelivered-To: list@fwd.petrel-test"), received);
        assertTrue(received.startsWith("ARC-Seal: i=2; cv=pass;"), received);
        Eventually.contains(() -> LOG.toString(StandardCharsets.UTF_8), " dkim=none dmarc=none arc=pass\n");
        assertEquals(List.of("cv=pass", "i=2 ams=True as=True", "i=1 ams=True as=True"),
                Dkimpy.arcVerify(dir, bytes(received), null, dns.address()));
    }

    @Test
    void aTamperedChainFailsOnMxAndTheForwardSealsTheFailure() throws Exception {
        byte[] tampered = bytes(new String(relayed("tampered hop"), StandardCharsets.UTF_8)
                .replace("Hello,  list", "Hello, wire the money"));
        String received = sendAndAwait(tampered, "list@fwd.petrel-test", "tampered hop");
        assertTrue(received.contains("\tarc=fail (ARC-Message-Signature i=1: body hash did not verify)\r\n"), received);
        // RFC 8617 5.1.2: the failure is sealed, over Petrel's own set; dkimpy sees a chain that ended there
        assertTrue(received.startsWith("ARC-Seal: i=2; cv=fail;"), received);
        Eventually.contains(() -> LOG.toString(StandardCharsets.UTF_8), " dkim=none dmarc=none arc=fail\n");
        assertEquals("cv=ended", Dkimpy.arcVerify(dir, bytes(received), null, dns.address()).getFirst());
    }

    @Test
    void aDomainWithoutAKeyForwardsUnsealedAndSaysSoOnce() throws Exception {
        for (String subject : List.of("unsealed one", "unsealed two")) {
            String received = sendAndAwait(message(subject), "list@nokey.petrel-test", subject);
            assertFalse(received.contains("ARC-Seal:"), received);
        }
        String log = LOG.toString(StandardCharsets.UTF_8);
        String line = "arc=unsealed domain=nokey.petrel-test";
        assertTrue(log.contains(line), log);
        assertEquals(log.indexOf(line), log.lastIndexOf(line), "said once: " + log);
    }

    // sends over SMTP to the mx listener, then waits (bounded) for the forwarded copy at the sink
    private static String sendAndAwait(byte[] message, String rcpt, String subject) throws Exception {
        Path file = Files.createTempFile(dir, "message", ".eml");
        Files.write(file, message);
        InetSocketAddress to = petrel.addresses().getFirst();
        PrometheusMetricsTest.smtplib("""
                import smtplib, sys
                with smtplib.SMTP(sys.argv[1], int(sys.argv[2])) as s:
                    s.sendmail("alice@origin.petrel-test", ["%s"], open("%s", "rb").read())
                """.formatted(rcpt, file), to);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (ScriptedPeer.Received r : peer.received) {
                String text = new String(r.content(), StandardCharsets.UTF_8);
                if (text.contains("Subject: " + subject + "\r\n")) {
                    return text;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no copy of \"" + subject + "\" reached the sink; log:\n"
                + LOG.toString(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
