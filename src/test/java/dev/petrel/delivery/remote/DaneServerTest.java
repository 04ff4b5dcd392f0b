package dev.petrel.delivery.remote;

import static dev.petrel.delivery.remote.PrometheusMetricsTest.awaitScrape;
import static dev.petrel.delivery.remote.PrometheusMetricsTest.smtplib;
import static dev.petrel.delivery.remote.TlsaMatcherTest.tlsa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Unbound;
import dev.petrel.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DANE in a live server: {@code [dns] dnssec = true} pointed at Debian's unbound, which validates a zone signed by
 * ldns-signzone; Python's smtplib hands Petrel one message for two domains. The MX host whose certificate matches
 * its TLSA record gets it over TLS, and {@code /metrics} counts a {@code tlsa} success; the one whose certificate
 * does not is deferred with a log line that says DANE failed, and gets nothing. MX hosts on 127.0.0.166 and .167.
 */
class DaneServerTest {

    private static final String CLIENT = """
            import smtplib, sys
            s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=20)
            s.sendmail("app@source.petrel-test", ["a@dane.petrel-test", "b@bad.dane.petrel-test"],
                       "From: app@source.petrel-test\\r\\nSubject: dane\\r\\n\\r\\nhello\\r\\n")
            s.quit()
            """;

    @TempDir
    Path dir;

    @Test
    void aMatchingMxGetsTheMailOverDaneAndAMismatchingOneIsDeferred() throws Exception {
        TestCertificate good = new TestCertificate("mx.dane.petrel-test");
        TestCertificate published = new TestCertificate("mx.bad.dane.petrel-test");
        TestCertificate presented = new TestCertificate("mx.bad.dane.petrel-test");
        Mx goodMx = new Mx();
        goodMx.tls = good.serverContext();
        Mx badMx = new Mx();
        badMx.tls = presented.serverContext();
        try (Unbound dns = new Unbound(List.of(Unbound.Zone.signed("dane.petrel-test", List.of(
                "dane.petrel-test. IN MX 10 mx.dane.petrel-test.",
                "mx.dane.petrel-test. IN A 127.0.0.166",
                "_25._tcp.mx.dane.petrel-test. IN TLSA " + tlsa(3, 1, 1, good.certificate),
                "bad.dane.petrel-test. IN MX 10 mx.bad.dane.petrel-test.",
                "mx.bad.dane.petrel-test. IN A 127.0.0.167",
                "_25._tcp.mx.bad.dane.petrel-test. IN TLSA " + tlsa(3, 1, 1, published.certificate)))),
                "mx.dane.petrel-test");
             ScriptedPeer goodPeer = ScriptedPeer.start("127.0.0.166", 0, goodMx);
             ScriptedPeer badPeer = ScriptedPeer.start("127.0.0.167", goodPeer.port(), badMx)) {
            goodMx.bind(goodPeer);
            badMx.bind(badPeer);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Path data = dir.resolve("data");
            String toml = PrometheusMetricsTest.configToml(data, dns.address(), goodPeer.port())
                    .replace("[dns]\n", "[dns]\ndnssec = true\n") + "[http]\naddress = \"127.0.0.1:0\"\n";
            try (Petrel petrel = Petrel.start(ConfigLoader.parse(toml, data),
                    new PrintStream(log, true, StandardCharsets.UTF_8))) {
                Supplier<String> logText = () -> log.toString(StandardCharsets.UTF_8);
                smtplib(CLIENT, petrel.addresses().getFirst());
                String delivered = Eventually.contains(logText, "to=<a@dane.petrel-test>").lines()
                        .filter(l -> l.contains("to=<a@dane.petrel-test>")).findFirst().orElseThrow();
                assertTrue(delivered.contains(" delivered id="), delivered);
                String line = Eventually.contains(logText, "DANE failed for mx.bad.dane.petrel-test").lines()
                        .filter(l -> l.contains("DANE failed")).findFirst().orElseThrow();
                assertTrue(line.contains(" deferred id=") && line.contains("to=<b@bad.dane.petrel-test>"), line);
                awaitScrape(petrel, "petrel_delivery_tls_connections_total{authenticated=\"true\","
                        + "policy=\"tlsa\",result=\"success\"} 1.0");
                awaitScrape(petrel, "petrel_delivery_tls_connections_total{authenticated=\"false\","
                        + "policy=\"tlsa\",result=\"validation-failure\"} 1.0");
            }
            assertEquals(1, goodPeer.received.size());
            assertTrue(goodPeer.received.getFirst().tls());
            assertTrue(badPeer.received.isEmpty());
        }
    }
}
