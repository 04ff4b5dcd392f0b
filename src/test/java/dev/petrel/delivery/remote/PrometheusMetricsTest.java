package dev.petrel.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a live server, end to end: real mail through a real Petrel (Python's smtplib as the client,
 * dnsmasq for the MX, a scripted remote MX that takes one recipient, defers one and refuses one), then the
 * Prometheus text checked by promtool and the counters read back. It lives beside the scripted MX it uses.
 */
class PrometheusMetricsTest {

    private static final String PROMTOOL = "/usr/bin/promtool";

    // Python's smtplib: one message, four recipients, the last refused at RCPT; sendmail goes on with the rest.
    // The sender's domain is the scripted MX's too, so the bounce's notice is delivered there as well.
    private static final String CLIENT = """
            import smtplib, sys
            s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=20)
            refused = s.sendmail("app@dest.petrel-test", ["ok@dest.petrel-test", "later@dest.petrel-test", "gone@dest.petrel-test",
                                        "nobody@local.petrel-test"],
                                 "From: app@source.petrel-test\\r\\nSubject: metrics\\r\\n\\r\\nhello\\r\\n")
            s.quit()
            print(sorted(refused))
            """;

    @TempDir
    Path dir;

    @Test
    void countersMoveWithRealTrafficAndPromtoolFindsNoProblem() throws Exception {
        Mx mx = new Mx();
        mx.rcpt = address -> address.startsWith("later@") ? "451 4.2.1 Mailbox busy, try later"
                : address.startsWith("gone@") ? "550 5.1.1 No such user" : "250 2.1.5 Ok";
        try (ScriptedPeer peer = ScriptedPeer.start("127.0.0.4", 0, mx); Dnsmasq dns = dnsWithMx("127.0.0.4")) {
            mx.bind(peer);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Path data = dir.resolve("data");
            try (Petrel petrel = Petrel.start(ConfigLoader.parse(configToml(data, dns.address(), peer.port()), data),
                    new PrintStream(log, true, StandardCharsets.UTF_8))) {
                Supplier<String> logText = () -> log.toString(StandardCharsets.UTF_8);
                String before = petrel.scrapeMetrics();
                assertEquals(0, value(before, "petrel_messages_accepted_total"), 0);

                assertEquals("['nobody@local.petrel-test']", smtplib(CLIENT, petrel.addresses().getFirst()));
                dev.petrel.testing.Eventually.contains(logText, "delivered id=");
                dev.petrel.testing.Eventually.contains(logText, "to=<app@dest.petrel-test>");
                petrel.eventMetrics().webhookDelivery("delivered");
                petrel.eventMetrics().webhookDelivery("timeout");

                String after = awaitScrape(petrel,
                        "petrel_delivery_outcomes_total{class=\"none\",outcome=\"delivered\"} 2.0");
                promtoolFindsNoProblem(after);
                assertCountersMoved(after);
                assertGauges(petrel, after);
            }
        }
    }

    private static void assertCountersMoved(String m) {
        // the message, and the notice of its bounced recipient to its sender
        assertEquals(2, value(m, "petrel_messages_accepted_total"), 0, m);
        assertEquals(1, value(m, "petrel_messages_rejected_total{stage=\"rcpt\",status=\"5.1.1\"}"), 0, m);
        assertEquals(4, value(m, "petrel_delivery_attempts_total"), 0, m);
        assertEquals(2, value(m, "petrel_delivery_outcomes_total{class=\"none\",outcome=\"delivered\"}"), 0, m);
        // by the bounce class of the reply: "451 4.2.1 Mailbox busy, try later" and "550 5.1.1 No such user"
        assertEquals(1, value(m, "petrel_delivery_outcomes_total{class=\"throttle\",outcome=\"deferred\"}"), 0, m);
        assertEquals(1, value(m, "petrel_delivery_outcomes_total{class=\"hard\",outcome=\"bounced\"}"), 0, m);
        assertEquals(0, value(m, "petrel_delivery_outcomes_total{class=\"soft\",outcome=\"bounced\"}"), 0, m);
        assertEquals(0, value(m, "petrel_delivery_outcomes_total{class=\"none\",outcome=\"expired\"}"), 0, m);
        // the latency histogram has one observation per final outcome, within the largest bucket
        assertEquals(2, value(m, "petrel_delivery_latency_seconds_count{outcome=\"delivered\"}"), 0, m);
        assertEquals(1, value(m, "petrel_delivery_latency_seconds_bucket{outcome=\"bounced\",le=\"\\+Inf\"}"), 0, m);
        assertEquals(2, value(m, "petrel_delivery_latency_seconds_bucket{outcome=\"delivered\",le=\"432000.0\"}"), 0, m);
        // one client connection; its replies: 250 to MAIL and three RCPTs, 550 5.1.1 to the fourth, 250 2.0.0 at the end
        assertEquals(1, value(m, "petrel_smtp_connections_total{listener=\"127.0.0.1:\\d+\",result=\"accepted\",role=\"mx\"}"), 0, m);
        assertEquals(1, value(m, "petrel_smtp_replies_total{class=\"5xx\",status=\"5.1.1\"}"), 0, m);
        assertEquals(3, value(m, "petrel_smtp_replies_total{class=\"2xx\",status=\"2.1.5\"}"), 0, m);
        assertEquals(1, value(m, "petrel_smtp_replies_total{class=\"2xx\",status=\"2.1.0\"}"), 0, m);
        assertTrue(value(m, "petrel_queue_group_commit_records_count") >= 1, m);
        assertTrue(value(m, "petrel_queue_fsync_seconds_count") >= 1, m);
        assertEquals(1, value(m, "petrel_webhook_deliveries_total{result=\"delivered\"}"), 0, m);
        assertEquals(1, value(m, "petrel_webhook_deliveries_total{result=\"timeout\"}"), 0, m);
        assertTrue(value(m, "jvm_memory_used_bytes{area=\"heap\",id=\"[^\"]+\"}") > 0, m);
        assertTrue(value(m, "process_uptime_seconds") > 0, m);
    }

    private static void assertGauges(Petrel petrel, String m) throws Exception {
        assertEquals(0, value(m, "petrel_smtp_sessions{listener=\"127.0.0.1:\\d+\",role=\"mx\"}"), 0, m);
        // per site and egress: mail without a stream goes from the default egress
        assertTrue(m.contains("petrel_delivery_site_in_flight{egress=\"default\",site=\"mx.dest.petrel-test\"}"), m);
        assertEquals(0, value(m, "petrel_delivery_site_backed_off{egress=\"default\",site=\"mx.dest.petrel-test\"}"),
                0, m);
        assertEquals(0, value(m, "petrel_delivery_parked_messages"), 0, m);
        // the metrics' reader has read everything; the log's saved cursor shows up too
        assertTrue(m.contains("petrel_event_feed_lag_events{consumer=\"log\"}"), m);
        // the queue snapshot is at most a few seconds old: the deferred message shows once it is taken again
        String later = awaitScrape(petrel, "petrel_queue_messages{state=\"deferred\"} 1.0");
        assertEquals(0, value(later, "petrel_queue_messages{state=\"active\"}"), 0, later);
        assertEquals(0, value(later, "petrel_queue_messages{state=\"held\"}"), 0, later);
        assertEquals(1, value(later, "petrel_queue_recipients{age=\"0-5m\"}"), 0, later);
        assertEquals(0, value(later, "petrel_event_feed_lag_events{consumer=\"metrics\"}"), 0, later);
    }

    /** dnsmasq with dest.petrel-test's MX at this address (the scripted MX); the tests beside this one use it too. */
    static Dnsmasq dnsWithMx(String mxAddress) throws IOException, InterruptedException {
        return dnsWithMx(mxAddress, List.of());
    }

    /** The same, with more dnsmasq options (records) after those. */
    static Dnsmasq dnsWithMx(String mxAddress, List<String> more) throws IOException, InterruptedException {
        List<String> options = new java.util.ArrayList<>(List.of(
                "--local=/petrel-test/",
                "--host-record=ready.petrel-test,127.0.0.1",
                "--mx-host=dest.petrel-test,mx.dest.petrel-test,10",
                "--host-record=mx.dest.petrel-test," + mxAddress));
        options.addAll(more);
        return new Dnsmasq("ready.petrel-test", options);
    }

    /** A Petrel relaying for loopback to the MX that {@code dns} names, on {@code remotePort}. */
    static String configToml(Path data, String dns, int remotePort) {
        return configToml(data, dns, remotePort, "mx.source.petrel-test", List.of("local.petrel-test"),
                List.of("127.0.0.0/8"));
    }

    /** A Petrel named {@code hostname} with these local domains, relaying for these networks, to the same MX. */
    static String configToml(Path data, String dns, int remotePort, String hostname, List<String> local,
                             List<String> relayNetworks) {
        return """
                hostname = "%s"
                data_dir = "%s"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                [dns]
                nameservers = ["%s"]
                [domains]
                local = [%s]
                [policy]
                relay_networks = [%s]
                [delivery]
                remote_port = %d
                connect_timeout = "2s"
                """.formatted(hostname, data, dns, quoted(local), quoted(relayNetworks), remotePort);
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "\"" + v + "\"").toList());
    }

    /** Runs a Python smtplib script against the listener; what it printed. */
    static String smtplib(String script, InetSocketAddress to) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", script, to.getAddress().getHostAddress(),
                String.valueOf(to.getPort())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "smtplib finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Scrapes until the text holds {@code line} (the event feed is read on a thread of its own). */
    static String awaitScrape(Petrel petrel, String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String text = petrel.scrapeMetrics();
        while (!text.contains("\n" + line + "\n")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line " + line + " in\n" + text);
            }
            Thread.sleep(100);
            text = petrel.scrapeMetrics();
        }
        return text;
    }

    private void promtoolFindsNoProblem(String metrics) throws Exception {
        Process p = new ProcessBuilder(PROMTOOL, "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out + "\n" + metrics);
        assertEquals("", out.strip(), "promtool found problems:\n" + out);
    }

    /** The sample's value; {@code series} is the name with its labels, sorted as Micrometer writes them (a regex: {@code \\+} for a plus). */
    private static double value(String metrics, String series) {
        String regex = "(?m)^" + series.replace("{", "\\{").replace("}", "\\}") + " (\\S+)$";
        Matcher m = Pattern.compile(regex).matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no sample " + series + " in\n" + metrics);
        }
        return Double.parseDouble(m.group(1));
    }
}
