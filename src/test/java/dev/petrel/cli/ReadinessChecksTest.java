package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.petrel.config.Config;
import dev.petrel.config.ConfigLoader;
import dev.petrel.mail.TenantId;
import dev.petrel.mailauth.DomainReadiness;
import dev.petrel.tenant.Stream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which addresses a domain's readiness is checked from: those its tenant's mail can leave from, each once. */
class ReadinessChecksTest {

    @TempDir
    Path dir;

    private static final TenantId ACME = new TenantId("acme");

    private static String lines(List<DomainReadiness.Egress> egress) {
        return String.join("\n", egress.stream().map(e -> e.address().getHostAddress() + " " + e.ehlo() + " "
                + e.origin()).toList());
    }

    @Test
    void theDefaultPoolTheStreamsPoolsAndTheirOwnSourcesEachOnce() throws Exception {
        Config config = ConfigLoader.parse("""
                hostname = "mx.example.test"
                [[delivery.egress]]
                name = "default"
                sources = ["127.0.0.2"]
                [[delivery.egress]]
                name = "bulk"
                sources = ["127.0.0.3", "::1"]
                ehlo = "news.example.test"
                [[delivery.egress]]
                name = "unused"
                sources = ["127.0.0.9"]
                """, dir);
        Instant now = Instant.EPOCH;
        List<Stream> streams = List.of(
                Stream.of(ACME, "news", Stream.Kind.BROADCAST, null, null, "bulk", now),
                Stream.of(ACME, "more-news", Stream.Kind.BROADCAST, null, null, "bulk", now),
                Stream.of(ACME, "receipts", Stream.Kind.TRANSACTIONAL, "127.0.0.4", "out.example.test", now),
                Stream.of(ACME, "alerts", Stream.Kind.TRANSACTIONAL, "127.0.0.5", null, now),
                // neither pool nor source: the default pool's, already counted
                Stream.of(ACME, "plain", Stream.Kind.TRANSACTIONAL, null, null, now));
        assertEquals("""
                127.0.0.2 mx.example.test pool default
                127.0.0.3 news.example.test pool bulk
                0:0:0:0:0:0:0:1 news.example.test pool bulk
                127.0.0.4 out.example.test stream receipts
                127.0.0.5 mx.example.test stream alerts""", lines(ReadinessChecks.egress(config, streams)));
    }

    @Test
    void withoutPoolsOrSourcesNoAddressIsKnown() throws Exception {
        Config config = ConfigLoader.parse("hostname = \"mx.example.test\"", dir);
        assertEquals(List.of(), ReadinessChecks.egress(config, List.of(
                Stream.of(ACME, "plain", Stream.Kind.TRANSACTIONAL, null, null, Instant.EPOCH))));
    }
}
