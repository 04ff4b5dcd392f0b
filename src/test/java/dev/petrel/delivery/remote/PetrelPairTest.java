package dev.petrel.delivery.remote;

import dev.petrel.dns.Dnsmasq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.User;
import dev.petrel.cli.Petrel;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.store.Stores;
import dev.petrel.queue.JournalQueueStore;
import dev.petrel.queue.QueuedMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Petrels, source and sink: mail submitted to the first for a domain whose MX (served by a real dnsmasq)
 * is the second reaches the second's queue, over SMTP with STARTTLS, and leaves the first's queue.
 */
class PetrelPairTest {

    private static final String MESSAGE = "From: a@source.petrel-test\r\nTo: bob@sink.petrel-test\r\n"
            + "Subject: relayed\r\n\r\n.leading dot\r\nbody line\r\n";

    @TempDir
    Path dir;

    private static Config config(Path data, String hostname, String listen, String dns, String extra) throws IOException {
        return ConfigLoader.parse("""
                hostname = "%s"
                data_dir = "%s"
                [[listeners]]
                address = "%s"
                role = "mx"
                [dns]
                nameservers = ["%s"]
                [policy]
                relay_networks = ["127.0.0.0/8"]
                [http]
                address = "127.0.0.1:0"
                %s
                """.formatted(hostname, data, listen, dns, extra), data);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The messages in bob's Maildir on the sink, with CRLF line ends again. */
    private static List<String> delivered(Config sink) {
        Path inbox = sink.dataDir().resolve("mail/sink.petrel-test/bob/new");
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (var files = Files.list(inbox)) {
            List<String> out = new java.util.ArrayList<>();
            for (Path f : files.sorted().toList()) {
                out.add(Files.readString(f, StandardCharsets.UTF_8).replace("\n", "\r\n"));
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<QueuedMessage> list(Petrel p) {
        try {
            return p.queue().list();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void mailForAnotherDomainIsRelayedToItsMxAndLeavesTheQueue() throws Exception {
        try (Dnsmasq dns = new Dnsmasq("ready.petrel-test", List.of(
                "--local=/petrel-test/",
                "--host-record=ready.petrel-test,127.0.0.1",
                // the first MX is down, the second is the sink
                "--mx-host=sink.petrel-test,mx1.sink.petrel-test,10",
                "--mx-host=sink.petrel-test,mx2.sink.petrel-test,20",
                "--host-record=mx1.sink.petrel-test,127.0.0.9",
                "--host-record=mx2.sink.petrel-test,127.0.0.2"))) {
            Config sinkConfig = config(dir.resolve("sink"), "mx2.sink.petrel-test", "127.0.0.2:25", dns.address(),
                    "[domains]\nlocal = [\"sink.petrel-test\"]");
            addUser(sinkConfig, "bob@sink.petrel-test");
            ByteArrayOutputStream sinkLog = new ByteArrayOutputStream();
            ByteArrayOutputStream sourceLog = new ByteArrayOutputStream();
            try (Petrel sink = Petrel.start(sinkConfig, new PrintStream(sinkLog, true, StandardCharsets.UTF_8));
                 Petrel source = Petrel.start(config(dir.resolve("source"), "source.petrel-test", "127.0.0.1:0",
                         dns.address(), "[delivery]\nconnect_timeout = \"2s\""),
                         new PrintStream(sourceLog, true, StandardCharsets.UTF_8))) {
                submit(source.addresses().getFirst());
                await(() -> list(source).isEmpty(), "the source's queue to empty");
                await(() -> delivered(sinkConfig).size() == 1, "the sink to deliver the message into bob's Maildir");
                String content = delivered(sinkConfig).getFirst();
                assertTrue(content.startsWith("Return-Path: <a@source.petrel-test>\r\nDelivered-To: bob@sink.petrel-test\r\n"),
                        content);
                assertTrue(content.endsWith(MESSAGE.substring(MESSAGE.indexOf("From:"))) || content.contains(MESSAGE),
                        "the message arrived byte for byte after the trace headers: " + content);
                assertTrue(content.contains("with ESMTPS"), "relayed over STARTTLS: " + content);
                dev.petrel.testing.Eventually.matches(() -> sourceLog.toString(StandardCharsets.UTF_8),
                        "(?s).*delivered id=\\S+ to=<bob@sink\\.petrel-test> relay=mx2\\.sink\\.petrel-test"
                        + "\\[127\\.0\\.0\\.2]:25 delay=\\S+ dsn=2\\.0\\.0 .*");
            }
        }
    }

    @Test
    void mailDeferredWhileEveryMxIsDownIsDeliveredWhenOneComesBack() throws Exception {
        try (Dnsmasq dns = new Dnsmasq("ready.petrel-test", List.of(
                "--local=/petrel-test/",
                "--host-record=ready.petrel-test,127.0.0.1",
                "--mx-host=sink.petrel-test,mx1.sink.petrel-test,10",
                "--mx-host=sink.petrel-test,mx2.sink.petrel-test,20",
                "--host-record=mx1.sink.petrel-test,127.0.0.9",
                "--host-record=mx2.sink.petrel-test,127.0.0.3"))) {
            ByteArrayOutputStream sourceLog = new ByteArrayOutputStream();
            try (Petrel source = Petrel.start(config(dir.resolve("source"), "source.petrel-test", "127.0.0.1:0",
                    dns.address(), "[delivery]\nconnect_timeout = \"2s\"\nfirst_retry = \"1s\"\nmax_retry = \"2s\""),
                    new PrintStream(sourceLog, true, StandardCharsets.UTF_8))) {
                submit(source.addresses().getFirst());
                await(() -> sourceLog.toString(StandardCharsets.UTF_8).contains("deferred id="), "a deferral");
                QueuedMessage waiting = list(source).getFirst();
                assertTrue(waiting.state().lastError().contains("4.4.1"), waiting.state().lastError());
                // the second MX comes up
                Config sinkConfig = config(dir.resolve("sink2"), "mx2.sink.petrel-test", "127.0.0.3:25", dns.address(),
                        "[domains]\nlocal = [\"sink.petrel-test\"]");
                addUser(sinkConfig, "bob@sink.petrel-test");
                try (Petrel sink = Petrel.start(sinkConfig, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8))) {
                    await(() -> delivered(sinkConfig).size() == 1, "the retry to reach the sink's mailbox");
                    await(() -> list(source).isEmpty(), "the source's queue to empty");
                    dev.petrel.testing.Eventually.contains(() -> sourceLog.toString(StandardCharsets.UTF_8),
                            "delivered id=" + waiting.id() + " to=<bob@sink.petrel-test> relay=mx2.sink.petrel-test[127.0.0.3]:25");
                }
            }
        }
    }

    private static void submit(InetSocketAddress to) throws IOException {
        try (java.net.Socket s = new java.net.Socket(to.getAddress(), to.getPort())) {
            s.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            var out = s.getOutputStream();
            expect(in, "220");
            for (String[] step : new String[][] {{"EHLO client.petrel-test", "250 "}, {"MAIL FROM:<a@source.petrel-test>", "250"},
                    {"RCPT TO:<bob@sink.petrel-test>", "250"}, {"DATA", "354"}}) {
                out.write((step[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                expect(in, step[1]);
            }
            // dot-stuffed on the wire, as a client must
            out.write((MESSAGE.replace("\r\n.leading", "\r\n..leading") + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            expect(in, "250");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void expect(java.io.BufferedReader in, String prefix) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new AssertionError("connection closed, expected " + prefix);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        assertTrue(line.startsWith(prefix), "expected " + prefix + ", got " + line);
    }

    // as `petrel user add` does, before the server starts; the configuration's local domains are the store's
    private static void addUser(Config config, String address) throws IOException {
        try (Stores stores = Stores.open(config.storeUrl(), config.dataDir(),
                config.localDomains().stream().map(Domain::parse).toList(), line -> {})) {
            stores.users().add(User.withPassword(Address.of(address), "secret", new SecureRandom()));
        }
    }
}
