package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.cli.Petrel;
import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            // Gmail's limit of one recipient's incoming rate: a throttle class, but not a [[throttle]] rule that
            // would suspend the whole site (Outlook's 4.7.650 would, and the DSN to the same MX would then wait)
            case "slow" -> "450 4.2.1 The user you are trying to contact is receiving mail too quickly. Please"
                    + " resend your message at a later time.";
            case "listed" -> "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org";
            default -> "250 2.1.5 Ok";
        };
        return mx;
    }

    @Test
    void aPeerWithoutTheExtensionStillGivesItsCodesAndEachFailureItsClass() throws Exception {
        sendThroughPetrel("", (petrel, log, peer) -> {
            Eventually.matches(log, line("bounced id=\\S+ to=<gone@dest\\.petrel-test> relay=mx\\.dest\\.petrel-test"
                    + "\\[127\\.0\\.0\\.5]:\\d+ delay=\\S+ dsn=5\\.1\\.1 class=hard"
                    + " reply=\"550 5\\.1\\.1 No such user here\""));
            Eventually.matches(log, line("deferred id=\\S+ to=<slow@dest\\.petrel-test> [^\\n]* dsn=4\\.2\\.1"
                    + " class=throttle reply=\"450 4\\.2\\.1 The user you are trying to contact"));
            Eventually.matches(log, line("bounced id=\\S+ to=<listed@dest\\.petrel-test> [^\\n]* dsn=5\\.7\\.1"
                    + " class=block "));
            // the bounce to the sender, delivered to the same MX: one DSN for both failed recipients
            String dsn = Eventually.contains(() -> dsnText(peer), "Final-Recipient: rfc822; gone@dest.petrel-test");
            assertTrue(dsn.contains("Status: 5.1.1"), dsn);
            assertTrue(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 No such user here"), dsn);
            assertTrue(dsn.contains("Status: 5.7.1"), dsn);
            assertFalse(dsn.contains("Status: 5.0.0"), dsn);

            String metrics = PrometheusMetricsTest.awaitScrape(petrel,
                    "petrel_delivery_outcomes_total{class=\"hard\",outcome=\"bounced\"} 1.0");
            assertTrue(metrics.contains("\npetrel_delivery_outcomes_total{class=\"block\",outcome=\"bounced\"} 1.0\n"),
                    metrics);
            assertTrue(metrics.contains(
                    "\npetrel_delivery_outcomes_total{class=\"throttle\",outcome=\"deferred\"} 1.0\n"), metrics);
        });
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
        sendThroughPetrel("[bounce]\nrules = \"bounces.toml\"\n", (petrel, log, peer) -> {
            Eventually.matches(log, line("bounced id=\\S+ to=<listed@dest\\.petrel-test> [^\\n]* dsn=5\\.7\\.1"
                    + " class=soft "));
            Eventually.matches(log, line("bounced id=\\S+ to=<gone@dest\\.petrel-test> [^\\n]* dsn=5\\.1\\.1"
                    + " class=hard "));
        });
    }

    /** What a test checks once the message has been sent. */
    private interface Checks {
        void check(Petrel petrel, Supplier<String> log, ScriptedPeer peer) throws Exception;
    }

    // the message through a Petrel configured with `more`, to the scripted MX behind dnsmasq
    private void sendThroughPetrel(String more, Checks checks) throws Exception {
        Mx mx = mxWithoutEnhancedStatusCodes();
        try (ScriptedPeer peer = ScriptedPeer.start("127.0.0.5", 0, mx);
             Dnsmasq dns = PrometheusMetricsTest.dnsWithMx("127.0.0.5")) {
            mx.bind(peer);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (Petrel petrel = Petrel.start(config(dns.address(), peer.port(), more),
                    new PrintStream(log, true, StandardCharsets.UTF_8))) {
                PrometheusMetricsTest.smtplib(CLIENT, petrel.addresses().getFirst());
                checks.check(petrel, () -> log.toString(StandardCharsets.UTF_8), peer);
            }
        }
    }

    // a log line somewhere in the whole log
    private static String line(String regex) {
        return "(?s).*" + regex + ".*";
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
        Path file = Files.writeString(dir.resolve("petrel.toml"),
                PrometheusMetricsTest.configToml(dir.resolve("data"), dns, remotePort) + more);
        return ConfigLoader.load(file);
    }
}
