package dev.petrel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimTools;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.testing.MemoryAccounts;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code petrel dkim check} against key records served by a real dnsmasq. */
class DkimCheckTest {

    @Test
    void publishedMissingAndChangedKeysAreToldApart() throws Exception {
        SecureRandom random = new SecureRandom();
        Domain domain = Domain.parse("keys.test");
        DkimKey good = DkimKey.generate(domain, "good", DkimAlgorithm.ED25519_SHA256, random);
        DkimKey stale = DkimKey.generate(domain, "stale", DkimAlgorithm.RSA_SHA256, random);
        DkimKey other = DkimKey.generate(domain, "stale", DkimAlgorithm.RSA_SHA256, random);
        DkimKey missing = DkimKey.generate(domain, "missing", DkimAlgorithm.ED25519_SHA256, random);
        MemoryAccounts accounts = new MemoryAccounts();
        accounts.add(new DkimKeyEntry(domain, "good", "ed25519", good.pkcs8(), true));
        accounts.add(new DkimKeyEntry(domain, "stale", "rsa", stale.pkcs8(), true));
        accounts.add(new DkimKeyEntry(domain, "missing", "ed25519", missing.pkcs8(), false));
        String otherRecord = other.record();
        try (Dnsmasq dns = new Dnsmasq("ready.keys.test", List.of("--local=/keys.test/",
                "--host-record=ready.keys.test,127.0.0.1",
                "--txt-record=" + good.recordName() + "," + good.record(),
                // a record of another key under the stale selector, in two strings as long records are
                "--txt-record=" + stale.recordName() + "," + otherRecord.substring(0, 200) + "," + otherRecord.substring(200)))) {
            DnsjavaResolver resolver = new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address())),
                    Clock.systemUTC());
            DnsDkimTools tools = new DnsDkimTools(resolver, Clock.systemUTC(), random);
            DkimTools.Report report = tools.check(accounts.keys(domain));
            String all = String.join("\n", report.lines());
            assertEquals(3, report.lines().size(), all);
            assertTrue(report.lines().stream().anyMatch(l -> l.equals("good._domainkey.keys.test ed25519 active: published, matches")), all);
            assertTrue(report.lines().stream().anyMatch(l -> l.startsWith("stale._domainkey.keys.test rsa active: published with another key")), all);
            assertTrue(report.lines().stream().anyMatch(l -> l.startsWith("missing._domainkey.keys.test ed25519: not published")), all);
            assertFalse(report.ok(), "an active key is published wrong");
            // once the stale selector is dropped from use, what is active is published
            accounts.add(new DkimKeyEntry(domain, "stale", "rsa", stale.pkcs8(), false));
            assertTrue(tools.check(accounts.keys(domain)).ok());
        }
    }
}
