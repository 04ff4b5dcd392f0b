package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.account.User;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import dev.petrel.store.Stores;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Tenancy;
import dev.petrel.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback from receivers end to end (issue 17): a tenant's mail, sent with the HTTP API (curl), is relayed to a
 * sink (a second Petrel, the MX of its domain in a real dnsmasq) from its VERP bounce address; a DSN sent later
 * over SMTP (Python's smtplib) to that address becomes message.bounced for the message and recipient, an ARF report
 * to the complaints address message.complained, a forged bounce address is refused at RCPT, a report that cannot
 * be read is kept in data_dir/feedback/unparsed, and nothing lands in a mailbox.
 */
class FeedbackLoopTest {

    private static final Pattern RETURN_PATH = Pattern.compile("Return-Path: <(b-[^@>]+@bounce\\.petrel-test)>");

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
                [http]
                address = "127.0.0.1:0"
                %s
                """.formatted(hostname, data, listen, dns, extra), data);
    }

    @Test
    void dsnsAndComplaintsToBounceAddressesBecomeEventsOfTheRightMessageAndRecipient() throws Exception {
        try (Dnsmasq dns = new Dnsmasq("ready.petrel-test", List.of("--local=/petrel-test/",
                "--host-record=ready.petrel-test,127.0.0.1",
                "--mx-host=sink.petrel-test,mx.sink.petrel-test,10",
                "--host-record=mx.sink.petrel-test,127.0.0.4"))) {
            int port = freePort();
            Config sinkConfig = config(dir.resolve("sink"), "mx.sink.petrel-test", "127.0.0.4:" + port, dns.address(),
                    "[domains]\nlocal = [\"sink.petrel-test\"]");
            withStores(sinkConfig, s -> s.users().add(User.withPassword(Address.of("bob@sink.petrel-test"), "secret",
                    new SecureRandom())));
            Config sourceConfig = config(dir.resolve("source"), "source.petrel-test", "127.0.0.1:0", dns.address(), """
                    [delivery]
                    remote_port = %d
                    [bounce]
                    domain = "bounce.petrel-test"
                    complaints = ["fbl@source.petrel-test"]
                    """.formatted(port));
            String key = tenantWithKey(sourceConfig);
            ByteArrayOutputStream sourceLog = new ByteArrayOutputStream();
            try (Petrel sink = Petrel.start(sinkConfig, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                 Petrel source = Petrel.start(sourceConfig, new PrintStream(sourceLog, true, StandardCharsets.UTF_8))) {
                String id = send(source.httpAddress(), key);
                String log = Eventually.matches(() -> sourceLog.toString(StandardCharsets.UTF_8),
                        "(?s).*delivered id=" + id + " to=<bob@sink\\.petrel-test>.*");
                assertTrue(log.contains("queued id=" + id + " from=<b-" + id + "-m-"), log);
                String received = delivered(sinkConfig);
                Matcher verp = RETURN_PATH.matcher(received);
                assertTrue(verp.find(), received);
                String bounceAddress = verp.group(1);
                assertTrue(bounceAddress.startsWith("b-" + id + "-0-"), bounceAddress);
                assertTrue(received.contains("Feedback-ID: :news:acme:petrel\r\n"), received);

                InetSocketAddress mx = source.addresses().getFirst();
                // a DSN to the bounce address, as the receiving site's MTA sends it some time later
                JsonNode dsn = smtplib(mx, bounceAddress, report("postfix-user-unknown.eml", bounceAddress, "nobody@example.net",
                        "bob@sink.petrel-test"));
                assertEquals(250, dsn.path("data").path(0).asInt(), dsn.toString());
                Eventually.matches(() -> sourceLog.toString(StandardCharsets.UTF_8), "(?s).*bounced id=" + id
                        + " to=<bob@sink\\.petrel-test> relay=dsn:mailstore\\.example\\.net .*dsn=5\\.1\\.1 .*");
                String events = events(source);
                assertTrue(events.contains("\"type\":\"message.bounced\""), events);

                // an ARF report to the complaints address finds the message from the original's Return-Path
                JsonNode arf = smtplib(mx, "fbl@source.petrel-test", report("rfc5965-appendix-b2.eml", bounceAddress,
                        "user@example.com", "bob@sink.petrel-test").replace("From: <somespammer@example.net>\r\nReceived",
                        "Return-Path: <" + bounceAddress + ">\r\nFrom: <somespammer@example.net>\r\nReceived"));
                assertEquals(250, arf.path("data").path(0).asInt(), arf.toString());
                Eventually.matches(() -> sourceLog.toString(StandardCharsets.UTF_8), "(?s).*complained id=" + id
                        + " to=<bob@sink\\.petrel-test> feedback_type=abuse .*");
                assertTrue(events(source).contains("\"type\":\"message.complained\""));

                // a forged bounce address (another recipient index under the same HMAC) is no one here
                String forged = bounceAddress.replace("-0-", "-1-");
                JsonNode refused = smtplib(mx, forged, "Subject: x\r\n\r\nx\r\n");
                assertEquals(550, refused.path("rcpt").path(0).asInt(), refused.toString());
                assertTrue(refused.path("rcpt").path(1).asText().startsWith("5.1.1"), refused.toString());

                // a report that cannot be read is kept for an operator
                JsonNode odd = smtplib(mx, bounceAddress, "Subject: out of office\r\n\r\nI am away\r\n");
                assertEquals(250, odd.path("data").path(0).asInt(), odd.toString());
                Path kept = sourceConfig.dataDir().resolve("feedback/unparsed/new");
                try (var files = Files.list(kept)) {
                    assertEquals(1, files.count());
                }
                Eventually.contains(() -> sourceLog.toString(StandardCharsets.UTF_8), "feedback kept reason=\"unreadable\"");
                // the bounce domain's mail is in no mailbox
                assertFalse(Files.exists(sourceConfig.dataDir().resolve("mail/bounce.petrel-test")));
            }
        }
    }

    // a port free on the sink's address now, for its listener and the source's remote_port
    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.4"))) {
            return socket.getLocalPort();
        }
    }

    private interface StoreWork {
        void run(Stores stores) throws IOException;
    }

    private static void withStores(Config config, StoreWork work) throws IOException {
        try (Stores stores = Stores.open(config.storeUrl(), config.dataDir(),
                config.localDomains().stream().map(Domain::parse).toList(), line -> {})) {
            work.run(stores);
        }
    }

    // as `petrel tenant add acme`, `domain add acme.petrel-test --tenant acme`, `stream add acme news` and
    // `key create acme --stream news` do
    private static String tenantWithKey(Config config) throws IOException {
        String[] key = new String[1];
        withStores(config, stores -> {
            Tenancy tenancy = Petrel.tenancy(config, stores, Clock.systemUTC());
            TenantId acme = new TenantId("acme");
            tenancy.addTenant(acme);
            tenancy.addDomain(Optional.of(acme), Domain.parse("acme.petrel-test"), Optional.of(false));
            tenancy.addStream(acme, "news", Stream.Kind.TRANSACTIONAL, null, null);
            key[0] = tenancy.createKey(acme, Optional.of("news")).secret();
        });
        return key[0];
    }

    // POST /v1/messages with curl; the queue id from the answer
    private String send(InetSocketAddress http, String key) throws Exception {
        String body = "{\"from\":\"ann@acme.petrel-test\",\"to\":[\"bob@sink.petrel-test\"],\"subject\":\"hello\","
                + "\"text\":\"hello bob\"}";
        String answer = run("curl", "-sS", "--max-time", "30", "-H", "Authorization: Bearer " + key, "-H",
                "Content-Type: application/json", "--data-binary", body,
                "http://127.0.0.1:" + http.getPort() + "/v1/messages");
        JsonNode json = new ObjectMapper().readTree(answer);
        String id = json.path("id").asText(json.path("message_id").asText());
        assertFalse(id.isEmpty(), answer);
        return id;
    }

    private static String events(Petrel p) throws IOException {
        StringBuilder out = new StringBuilder();
        p.queue().read(0, 10_000).forEach(e -> out.append(dev.petrel.event.EventJson.render(e.cursor(), e.event())).append('\n'));
        return out.toString();
    }

    private String report(String sample, String bounceAddress, String recipientThere, String recipientHere)
            throws IOException {
        String text = new String(FeedbackLoopTest.class.getResourceAsStream("/dev/petrel/bounce/reports/" + sample)
                .readAllBytes(), StandardCharsets.UTF_8);
        return text.replace("b-X@bounce.example", bounceAddress).replace(recipientThere, recipientHere);
    }

    private JsonNode smtplib(InetSocketAddress mx, String rcpt, String message) throws Exception {
        Path file = Files.createTempFile(dir, "report", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        String script = Path.of(FeedbackLoopTest.class.getResource("/e2e/smtp_client.py").toURI()).toString();
        return new ObjectMapper().readTree(run("python3", script, "send", "--host", "127.0.0.1", "--port",
                Integer.toString(mx.getPort()), "--tls", "none", "--sender", "mailer-daemon@sink.petrel-test",
                "--rcpt", rcpt, "--message", file.toString()));
    }

    private String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String delivered(Config sink) throws Exception {
        Path inbox = sink.dataDir().resolve("mail/sink.petrel-test/bob/new");
        return Eventually.matches(() -> {
            try (var files = Files.list(inbox)) {
                return files.findFirst().map(f -> {
                    try {
                        return Files.readString(f).replace("\n", "\r\n");
                    } catch (IOException e) {
                        return "";
                    }
                }).orElse("");
            } catch (IOException e) {
                return "";
            }
        }, "(?s).+");
    }
}
