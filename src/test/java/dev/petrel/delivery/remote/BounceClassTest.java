package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.cli.Petrel;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounce classes end to end: Python's smtplib sends through a real Petrel to a scripted MX (found through dnsmasq)
 * that never advertises ENHANCEDSTATUSCODES yet starts its refusals with enhanced codes, as many servers do. The
 * codes are taken anyway, as Postfix takes them: the bounce says {@code Status: 5.1.1} and the log {@code dsn=5.1.1},
 * not 5.0.0; each deferred and bounced recipient's log line and the outcome metric carry its class; an operator's
 * rules file changes a class.
 */
class BounceClassTest {

    // one message, four recipients; the sender's domain is the scripted MX's too, so the bounce is delivered there
    private static final String CLIENT = """
            import smtplib, sys
            s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=20)
            s.sendmail("app@dest.petrel-test", ["ok@dest.petrel-test", "gone@dest.petrel-test",
                                                "slow@dest.petrel-test", "listed@dest.petrel-test"],
                       "From: app@dest.petrel-test\\r\\nSubject: classes\\r\\n\\r\\nhello\\r\\n")
            s.quit()
            """;

    @TempDir
    Path dir;

    private static Mx mxWithoutEnhancedStatusCodes() {
        Mx mx = new Mx();
        mx.extensions = new java.util.ArrayList<>(List.of("PIPELINING", "8BITMIME"));
        mx.rcpt = address -> switch (address.substring(0, address.indexOf('@'))) {
            case "gone" -> "550 5.1.1 No such user here";
            case "slow" -> "451 4.7.650 The mail server [127.0.0.1] has been temporarily rate limited due to IP"
                    + " reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)";
            case "listed" -> "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org";
            default -> "250 2.1.5 Ok";
        };
        return mx;
    }

    @Test
    void aPeerWithoutTheExtensionStillGivesItsCodesAndEachFailureItsClass() throws Exception {
        Mx mx = mxWithoutEnhancedStatusCodes();
        try (ScriptedPeer peer = ScriptedPeer.start("127.0.0.5", 0, mx); Dnsmasq dns = dns("127.0.0.5")) {
            mx.bind(peer);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (Petrel petrel = Petrel.start(config(dns.address(), peer.port(), ""),
                    new PrintStream(log, true, StandardCharsets.UTF_8))) {
                Supplier<String> logText = () -> log.toString(StandardCharsets.UTF_8);
                send(petrel.addresses().getFirst());

                Eventually.matches(logText, line("bounced id=\\S+ to=<gone@dest\\.petrel-test> relay=mx\\.dest\\.petrel-test"
                        + "\\[127\\.0\\.0\\.5]:\\d+ delay=\\S+ dsn=5\\.1\\.1 class=hard reply=\"550 5\\.1\\.1 No such user here\""));
                Eventually.matches(logText, line("deferred id=\\S+ to=<slow@dest\\.petrel-test> [^\\n]* dsn=4\\.7\\.650 class=throttle"
                        + " reply=\"451 4\\.7\\.650 The mail server"));
                Eventually.matches(logText, line("bounced id=\\S+ to=<listed@dest\\.petrel-test> [^\\n]* dsn=5\\.7\\.1 class=block "));
                // the bounce to the sender, delivered to the same MX: one DSN for both failed recipients
                String dsn = Eventually.contains(() -> dsnText(peer), "Final-Recipient: rfc822; gone@dest.petrel-test");
                assertTrue(dsn.contains("Status: 5.1.1"), dsn);
                assertTrue(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 No such user here"), dsn);
                assertTrue(dsn.contains("Status: 5.7.1"), dsn);
                assertTrue(!dsn.contains("Status: 5.0.0"), dsn);

                String metrics = PrometheusMetricsTest.awaitScrape(petrel, "petrel_delivery_outcomes_total{class=\"hard\",outcome=\"bounced\"} 1.0");
                assertTrue(metrics.contains("\npetrel_delivery_outcomes_total{class=\"block\",outcome=\"bounced\"} 1.0\n"),
                        metrics);
                assertTrue(metrics.contains(
                        "\npetrel_delivery_outcomes_total{class=\"throttle\",outcome=\"deferred\"} 1.0\n"), metrics);
            }
        }
    }

    @Test
    void anOperatorsRulesFileChangesAClass() throws Exception {
        Files.writeString(dir.resolve("bounces.toml"), """
                # our own partner's server: its Spamhaus refusals are a mistake they fix within the hour
                [[rule]]
                class = "soft"
                status = "5.7.1"
                text = 'zen\\.spamhaus\\.org'
                """);
        Mx mx = mxWithoutEnhancedStatusCodes();
        try (ScriptedPeer peer = ScriptedPeer.start("127.0.0.5", 0, mx); Dnsmasq dns = dns("127.0.0.5")) {
            mx.bind(peer);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (Petrel petrel = Petrel.start(config(dns.address(), peer.port(), "[bounce]\nrules = \"bounces.toml\"\n"),
                    new PrintStream(log, true, StandardCharsets.UTF_8))) {
                Supplier<String> logText = () -> log.toString(StandardCharsets.UTF_8);
                send(petrel.addresses().getFirst());
                Eventually.matches(logText, line("bounced id=\\S+ to=<listed@dest\\.petrel-test> [^\\n]* dsn=5\\.7\\.1 class=soft "));
                Eventually.matches(logText, line("bounced id=\\S+ to=<gone@dest\\.petrel-test> [^\\n]* dsn=5\\.1\\.1 class=hard "));
            }
        }
    }

    // a log line somewhere in the whole log
    private static String line(String regex) {
        return "(?s).*" + regex + ".*";
    }

    private static Dnsmasq dns(String mxAddress) throws IOException, InterruptedException {
        return new Dnsmasq("ready.petrel-test", List.of(
                "--local=/petrel-test/",
                "--host-record=ready.petrel-test,127.0.0.1",
                "--mx-host=dest.petrel-test,mx.dest.petrel-test,10",
                "--host-record=mx.dest.petrel-test," + mxAddress));
    }

    // the content of the messages the MX took, the bounce among them
    private static String dsnText(ScriptedPeer peer) {
        StringBuilder all = new StringBuilder();
        for (ScriptedPeer.Received r : peer.received) {
            all.append(new String(r.content(), StandardCharsets.UTF_8)).append('\n');
        }
        return all.toString();
    }

    private Config config(String dns, int remotePort, String more) throws IOException {
        Path data = dir.resolve("data");
        Path file = dir.resolve("petrel.toml");
        Files.writeString(file, """
                hostname = "mx.source.petrel-test"
                data_dir = "%s"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                [dns]
                nameservers = ["%s"]
                [domains]
                local = ["local.petrel-test"]
                [policy]
                relay_networks = ["127.0.0.0/8"]
                [delivery]
                remote_port = %d
                connect_timeout = "2s"
                """.formatted(data, dns, remotePort) + more);
        return ConfigLoader.load(file);
    }

    private static void send(InetSocketAddress to) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", CLIENT, to.getAddress().getHostAddress(),
                String.valueOf(to.getPort())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "smtplib finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
    }
}
