package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.User;
import dev.petrel.cli.Petrel;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.store.Stores;
import dev.petrel.queue.QueuedMessage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail signed by dkimpy arrives over SMTP at a Petrel whose resolver is a real dnsmasq serving the keys and the
 * SPF record as TXT records: the queued message carries Petrel's Authentication-Results with SPF's pass and a
 * pass for each signature, and an Authentication-Results field that a sender forged under Petrel's name is gone.
 */
class InboundAuthenticationTest {

    private static final String HOST = "mx.inbound.test";

    @TempDir
    Path dir;

    @Test
    void dkimpySignaturesPassThroughRealDnsAndForgedResultsAreRemoved() throws Exception {
        SecureRandom random = new SecureRandom();
        DkimKey rsa = DkimKey.generate(Domain.parse("signer.test"), "rsa1", DkimAlgorithm.RSA_SHA256, random);
        DkimKey ed = DkimKey.generate(Domain.parse("signer.test"), "ed1", DkimAlgorithm.ED25519_SHA256, random);
        List<String> records = new ArrayList<>(List.of("--local=/signer.test/", "--host-record=ready.signer.test,127.0.0.1"));
        // the client, 127.0.0.1, is the domain's only SPF-authorized sender
        records.add("--txt-record=signer.test,v=spf1 ip4:127.0.0.1 -all");
        records.add("--txt-record=_dmarc.signer.test,v=DMARC1; p=reject");
        for (DkimKey k : List.of(rsa, ed)) {
            records.add("--txt-record=" + k.recordName() + "," + String.join(",", k.recordStrings()));
        }
        try (Dnsmasq dns = new Dnsmasq("ready.signer.test", records)) {
            Path data = dir.resolve("data");
            Config config = ConfigLoader.parse("""
                    hostname = "%s"
                    data_dir = "%s"
                    [[listeners]]
                    address = "127.0.0.1:0"
                    role = "mx"
                    [dns]
                    nameservers = ["%s"]
                    [http]
                    address = "127.0.0.1:0"
                    [domains]
                    local = ["inbound.test"]
                    [local_delivery.transports]
                    "inbound.test" = "lmtp:127.0.0.1:9"
                    """.formatted(HOST, data, dns.address()), data);
            try (Stores stores = Stores.open(config.storeUrl(), config.dataDir(), List.of(Domain.parse("inbound.test")),
                    line -> {})) {
                stores.users().add(User.withPassword(Address.of("rcpt@inbound.test"), "secret", random));
            }
            byte[] message = ("From: Signer <alice@signer.test>\r\nTo: rcpt@inbound.test\r\nSubject: signed twice\r\n"
                    + "Date: Sun, 1 Nov 2026 12:00:00 +0000\r\n\r\nHello,  world\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] signed = Dkimpy.sign(dir, Dkimpy.sign(dir, message, ed, "relaxed/relaxed", false), rsa,
                    "simple/simple", false);
            String forged = "Authentication-Results: " + HOST.toUpperCase() + "; dkim=pass header.d=bank.test\r\n"
                    + "Authentication-Results: other.example; spf=pass\r\n";
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (Petrel petrel = Petrel.start(config, new PrintStream(log, true, StandardCharsets.UTF_8))) {
                assertEquals("250", send(petrel.addresses().getFirst(), "alice@signer.test",
                        concat(forged.getBytes(StandardCharsets.US_ASCII), signed)).substring(0, 3));
                List<QueuedMessage> queued = petrel.queue().list();
                assertEquals(1, queued.size());
                String content = new String(petrel.queue().read(queued.getFirst().id()).orElseThrow().content(),
                        StandardCharsets.UTF_8);
                String results = content.substring(0, content.indexOf("\r\nReceived: "));
                assertTrue(results.matches("Authentication-Results: mx\\.inbound\\.test;\r\n"
                        + "\tspf=pass smtp\\.mailfrom=signer\\.test;\r\n"
                        + "\tdkim=pass header\\.d=signer\\.test header\\.s=rsa1 header\\.b=\"[^\"]{8}\";\r\n"
                        + "\tdkim=pass header\\.d=signer\\.test header\\.s=ed1 header\\.b=\"[^\"]{8}\";\r\n"
                        + "\tdmarc=pass \\(p=reject\\) header\\.from=signer\\.test;\r\n"
                        + "\tarc=none"), content);
                // RFC 7489 6.7: a message in signer.test's name, from elsewhere and unsigned, is refused at DATA
                byte[] spoof = ("From: CEO <ceo@signer.test>\r\nTo: rcpt@inbound.test\r\nSubject: wire money\r\n\r\n"
                        + "now\r\n").getBytes(StandardCharsets.US_ASCII);
                assertEquals("550 5.7.1 Message rejected by the DMARC policy of signer.test",
                        send(petrel.addresses().getFirst(), "ceo@elsewhere.test", spoof));
                assertEquals(1, petrel.queue().list().size(), "the spoofed message was not queued");
                dev.petrel.testing.Eventually.contains(() -> log.toString(StandardCharsets.UTF_8),
                        " client=127.0.0.1 spf=pass dkim=pass,pass dmarc=pass\n");
                dev.petrel.testing.Eventually.contains(() -> log.toString(StandardCharsets.UTF_8),
                        "rejected client=127.0.0.1 stage=data from=<ceo@elsewhere.test> reply="
                        + "\"550 5.7.1 Message rejected by the DMARC policy of signer.test\"");
                assertFalse(content.contains("header.d=bank.test"), "the forged result under our name is gone");
                assertTrue(content.contains("Authentication-Results: other.example; spf=pass\r\n"), "others' stay");
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Sends one message; returns the reply to its end of data. */
    private static String send(InetSocketAddress to, String sender, byte[] message) throws IOException {
        try (Socket s = new Socket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            for (String[] step : new String[][] {{"EHLO client.signer.test", "250 "}, {"MAIL FROM:<" + sender + ">", "250"},
                    {"RCPT TO:<rcpt@inbound.test>", "250"}, {"DATA", "354"}}) {
                out.write((step[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                expect(in, step[1]);
            }
            // no line of these messages starts with a dot
            out.write(message);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = expect(in, "");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return reply;
        }
    }

    private static String expect(BufferedReader in, String prefix) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed, expected " + prefix);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(prefix.strip())) {
            throw new IOException("expected " + prefix + ", got " + line);
        }
        return line;
    }
}
