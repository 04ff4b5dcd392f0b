package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.bounce.BounceRule;
import dev.petrel.mail.BounceClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrinterTest {

    @TempDir
    Path base;

    @Test
    void theDefaultsPrintAsTomlThatParsesToTheSameConfig() throws ConfigException {
        Config defaults = ConfigLoader.parse("hostname = \"mx.test\"", base);
        String printed = ConfigPrinter.print(defaults);
        assertEquals(defaults, ConfigLoader.parse(printed, base));
        assertTrue(printed.contains("address = \"127.0.0.1:2525\"\nrole = \"mx\""), printed);
    }

    @Test
    void everySettingSurvivesPrintingAndParsing() throws Exception {
        Path rules = Files.writeString(base.resolve("my rules.toml"), "[[rule]]\nclass = \"block\"\ntext = 'no thanks'\n");
        Config custom = new Config(
                "mx \"quoted\" \\ host",
                base.resolve("data dir"),
                List.of(new Config.Listener("0.0.0.0", 25, Config.Role.MX),
                        new Config.Listener("::1", 587, Config.Role.SUBMISSION, new Config.ProxyProtocol(true,
                                List.of("10.0.0.0/8", "::1/128"), Duration.ofMillis(2500))),
                        new Config.Listener("2001:db8::5", 465, Config.Role.SUBMISSIONS)),
                new Config.Tls(base.resolve("cert.pem"), base.resolve("key.pem")),
                List.of("127.0.0.1:5353", "[::1]:53"),
                List.of("192.0.2.0/24", "2001:db8::/32"),
                true,
                List.of("example.com", "localhost"),
                new Config.Limits(10_000_000, 5, 4096, 7, 100, 3, 2, Duration.ofSeconds(90), 20, 0),
                new Config.Timeouts(Duration.ofMillis(1500), Duration.ofMinutes(4), Duration.ofHours(1),
                        Duration.ofDays(1), Duration.ofSeconds(45), Duration.ofMillis(250)),
                new Config.Http("::1", 9025, "https://mail.example.com/petrel", true, 1 << 20, true),
                2525,
                new Config.LocalDelivery("mail/%u", "+-", true, Duration.ofHours(6),
                        java.util.Map.of("lmtp.example", "lmtp:127.0.0.1:24")),
                new Config.Delivery(7, 11, Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(3),
                        Duration.ZERO, Duration.ofMillis(800), List.of("bank.example", "gov.example"), 12, false,
                        40, 7, Duration.ofSeconds(5), 0.1, Duration.ofSeconds(90),
                        new Config.ClientTimeouts(Duration.ofMinutes(1), Duration.ofSeconds(50), Duration.ofSeconds(40),
                                Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(10),
                                Duration.ofMinutes(3)), Duration.ofSeconds(5),
                        List.of(new Config.EgressPool("receipts", List.of("192.0.2.10", "2001:db8::10"),
                                "out.example.com"), new Config.EgressPool("default", List.of(), null))),
                new Config.MailAuth(false, true, true),
                "postgresql://db.example:5432/petrel?user=petrel",
                new Config.Bounce(rules, List.of(new BounceRule(BounceClass.BLOCK, List.of(), List.of("no thanks")))));
        String printed = ConfigPrinter.print(custom);
        assertEquals(custom, ConfigLoader.parse(printed, base));
    }

    @Test
    void theStorePasswordIsNotPrinted() throws ConfigException {
        Config c = ConfigLoader.parse("[store]\nurl = \"postgresql://db:5432/p?user=u&password=s3cret&ssl=true\"", base);
        String printed = ConfigPrinter.print(c);
        assertTrue(printed.contains("url = \"postgresql://db:5432/p?user=u&password=********&ssl=true\""), printed);
        assertTrue(!printed.contains("s3cret"), printed);
    }

    @Test
    void emptyListsPrintAsEmptyArrays() throws ConfigException {
        Config c = ConfigLoader.parse("hostname = \"mx.test\"\n[domains]\nlocal = []", base);
        String printed = ConfigPrinter.print(c);
        assertTrue(printed.contains("relay_networks = []"), printed);
        assertEquals(List.of(), ConfigLoader.parse(printed, base).localDomains());
    }

    // found by ConfigFuzzTest: control characters were printed raw, and TOML does not allow them in a string
    @Test
    void controlCharactersInStringsPrintAsEscapes() throws ConfigException {
        Config c = ConfigLoader.parse("hostname = \"mx.test\"\n[local_delivery]\nmaildir = \"mail/\\u0001%d/%n\"\n", base);
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), base));
    }
}
