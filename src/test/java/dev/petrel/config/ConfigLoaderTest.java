package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.event.LogLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir
    Path base;

    private Config parse(String toml) throws ConfigException {
        // a hostname keeps the tests away from the machine's name look-up
        return ConfigLoader.parse("hostname = \"mx.test\"\n" + toml, base);
    }

    @Test
    void anEmptyFileGivesTheEmbeddedDefaultsOfTheDesign() throws ConfigException {
        Config c = parse("");
        // DESIGN.md: mx, submission and submissions on loopback high ports, admin on 8025, localhost local
        assertEquals(List.of(new Config.Listener("127.0.0.1", 2525, Config.Role.MX),
                new Config.Listener("127.0.0.1", 2587, Config.Role.SUBMISSION),
                new Config.Listener("127.0.0.1", 2465, Config.Role.SUBMISSIONS)), c.listeners());
        assertEquals(new Config.Http("127.0.0.1", 8025, "http://127.0.0.1:8025", false, 30L << 20, false), c.http());
        assertEquals(List.of("localhost"), c.localDomains());
        assertEquals(base.resolve("petrel-data"), c.dataDir());
        assertEquals(List.of(), c.relayNetworks());
        assertEquals(List.of(), c.nameservers());
        assertEquals(25, c.remotePort());
        assertEquals("mail/%d/%n", c.maildir());
        assertNull(c.tls().certificate());
        assertNull(c.tls().privateKey());
        assertEquals(new Config.Limits(25L << 20, 1000, 2048, 20, Config.Limits.defaultConnections(), 50, 5,
                Duration.ofMinutes(15), 50), c.limits());
        assertEquals(Math.max(1000, Runtime.getRuntime().maxMemory() / (16 << 10)), c.limits().connections(),
                "the heap's worth at 16 KiB a connection");
        assertEquals(new Config.Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(3), Duration.ofMinutes(2), Duration.ofMinutes(1)), c.timeouts());
    }

    @Test
    void deliveryLimitsOnceHardCodedHaveKeysWithTheOldValuesAsDefaults() throws ConfigException {
        Config.Delivery d = parse("").delivery();
        assertEquals(100, d.attemptsInFlight());
        assertEquals(100, d.messagesPerConnection());
        assertEquals(Duration.ofSeconds(2), d.connectionIdle());
        assertEquals(0.2, d.retryJitter());
        assertEquals(Duration.ofMinutes(1), d.siteBackoff());
        // RFC 5321 4.5.3.2
        assertEquals(Config.ClientTimeouts.RFC5321, d.timeouts());
        Config.Delivery set = parse("[delivery]\nattempts_in_flight = 8\nretry_jitter = 0\nsite_backoff = \"30s\"\n"
                + "final_dot_timeout = \"20m\"\n").delivery();
        assertEquals(8, set.attemptsInFlight());
        assertEquals(0.0, set.retryJitter());
        assertEquals(Duration.ofSeconds(30), set.siteBackoff());
        assertEquals(Duration.ofMinutes(20), set.timeouts().finalDot());
    }

    @Test
    void egressPoolsAreNamedWithTheirSourcesAndEhloName() throws ConfigException {
        Config.Delivery none = parse("").delivery();
        assertEquals(List.of(), none.egress());
        assertEquals(Duration.ofSeconds(2), none.streamRefresh());
        Config.Delivery d = parse("""
                [delivery]
                stream_refresh = "5s"

                [[delivery.egress]]
                name = "transactional"
                sources = ["192.0.2.10", "2001:db8::10"]
                ehlo = "mta1.example.com"

                [[delivery.egress]]
                name = "bulk"
                """).delivery();
        assertEquals(Duration.ofSeconds(5), d.streamRefresh());
        assertEquals(List.of(new Config.EgressPool("transactional", List.of("192.0.2.10", "2001:db8::10"),
                "mta1.example.com"), new Config.EgressPool("bulk", List.of(), null)), d.egress());
        assertEquals("bulk", d.pool("bulk").orElseThrow().name());
        assertTrue(d.pool("nope").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # a pool has a name, written as stream names are, once
            sources = ["192.0.2.1"]                                   | line 2: [[delivery.egress]] name: required
            name = "Bulk"                                             | line 3: [[delivery.egress]] name: expected 1 to 64
            name = "a"\\n[[delivery.egress]]\\nname = "a"              | line 5: [[delivery.egress]] name: there is a pool named a already
            # sources are IP literals, never names that would need DNS
            name = "a"\\nsources = ["mta.example.com"]                 | line 4: [[delivery.egress]] sources: not an IP address: mta.example.com
            name = "a"\\nsources = "192.0.2.1"                         | sources: expected an array of strings
            # the EHLO name is a domain
            name = "a"\\nehlo = "not a name"                           | line 4: [[delivery.egress]] ehlo
            name = "a"\\nsource = ["192.0.2.1"]                        | source: unknown setting
            """)
    void badEgressPoolsAreErrorsAtTheirLine(String pool, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("[[delivery.egress]]\n" + pool.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aClusterNodeIsNamedAfterTheHostByDefaultWithALeaseOfThirtySeconds() throws ConfigException {
        Config c = parse("");
        assertEquals(new Config.Cluster("mx.test", Duration.ofSeconds(30)), c.cluster());
        Config named = parse("[cluster]\nnode = \"node-2\"\nlease = \"10s\"\n");
        assertEquals(new Config.Cluster("node-2", Duration.ofSeconds(10)), named.cluster());
        assertEquals(named, ConfigLoader.parse(ConfigPrinter.print(named), base));
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), base));
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[cluster]\nlease = \"1s\"\n"));
        assertTrue(e.getMessage().contains("line 3: [cluster] lease: expected at least 3s"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("[cluster]\nnode = \"two words\"\n"));
        assertTrue(e.getMessage().contains("[cluster] node: expected a name of 1 to 255 characters"), e.getMessage());
    }

    @Test
    void theReadmesClusterSectionReads() throws ConfigException, java.io.IOException {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        int start = readme.indexOf("[cluster]                          #");
        String block = readme.substring(start, readme.indexOf("```", start));
        assertEquals(new Config.Cluster("mx1", Duration.ofSeconds(30)), parse(block).cluster());
    }

    @Test
    void theLogIsKeyValueAtInfoByDefaultAndTakesJsonAndALevel() throws ConfigException {
        assertEquals(new Config.Log(LogLines.Format.KEY_VALUE, LogLines.Level.INFO), parse("").log());
        Config c = parse("[log]\nformat = \"json\"\nlevel = \"warning\"\n");
        assertEquals(new Config.Log(LogLines.Format.JSON, LogLines.Level.WARNING), c.log());
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), base));
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[log]\nformat = \"xml\"\n"));
        assertTrue(e.getMessage().contains("[log] format: expected key=value or json, got \"xml\""), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("[log]\nlevel = \"loud\"\n"));
        assertTrue(e.getMessage().contains("[log] level: expected error, warning, info or debug, got \"loud\""),
                e.getMessage());
    }

    @Test
    void theReputationGuardHasItsDefaultsAndTakesItsSettings() throws ConfigException {
        assertEquals(new Config.Reputation(true, Duration.ofHours(24), 500, 0.05, 0.003), parse("").reputation());
        Config c = parse("[reputation]\nenabled = false\nwindow = \"30m\"\nmin_volume = 10\n"
                + "hard_bounce_rate = 0.5\ncomplaint_rate = 0.01\n");
        assertEquals(new Config.Reputation(false, Duration.ofMinutes(30), 10, 0.5, 0.01), c.reputation());
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), base));
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[reputation]\ncomplaint_rate = 3\n"));
        assertTrue(e.getMessage().contains("line 3: [reputation] complaint_rate: expected a number from 0 to below 1"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("[reputation]\nmin_volume = 0\n"));
        assertTrue(e.getMessage().contains("[reputation] min_volume"), e.getMessage());
    }

    @Test
    void aJitterOfOneOrMoreIsRefusedWithItsKey() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> parse("[delivery]\nretry_jitter = 1.5\n"));
        assertTrue(e.getMessage().contains("retry_jitter"), e.getMessage());
    }

    @Test
    void noFileAtAllGivesTheSameDefaults() throws IOException {
        Config none = ConfigLoader.load(null);
        Config empty = ConfigLoader.parse("", Path.of("."));
        assertEquals(empty, none);
        assertEquals(Path.of("petrel-data"), none.dataDir());
        assertTrue(!none.hostname().isEmpty());
    }

    @Test
    void theExampleOfTheDesignParses() throws ConfigException {
        Config c = ConfigLoader.parse("""
                hostname = "mx.example.com"
                data_dir = "/var/lib/petrel"

                [[listeners]]
                address = "0.0.0.0:25"
                role = "mx"

                [tls]
                certificate = "/etc/petrel/fullchain.pem"
                private_key = "/etc/petrel/privkey.pem"

                [dns]
                nameservers = ["127.0.0.1:5353"]

                [policy]
                relay_networks = []

                [delivery]
                remote_port = 25

                [local_delivery]
                maildir = "mail/%d/%n"
                """, base);
        assertEquals("mx.example.com", c.hostname());
        assertEquals(Path.of("/var/lib/petrel"), c.dataDir());
        assertEquals(List.of(new Config.Listener("0.0.0.0", 25, Config.Role.MX)), c.listeners());
        assertEquals(Path.of("/etc/petrel/fullchain.pem"), c.tls().certificate());
        assertEquals(Path.of("/etc/petrel/privkey.pem"), c.tls().privateKey());
        assertEquals(List.of("127.0.0.1:5353"), c.nameservers());
        assertEquals(Path.of("/var/lib/petrel/queue"), c.queueDir());
        assertEquals(Path.of("/var/lib/petrel/petrel.db"), c.databaseFile());
        assertEquals("embedded", c.storeUrl());
    }

    @Test
    void daneIsOnButTheResolversAdBitIsNotBelievedUntilDnssecIsSet() throws ConfigException {
        Config defaults = parse("");
        assertFalse(defaults.dnssec());
        assertTrue(defaults.delivery().dane());
        Config set = parse("""
                [dns]
                nameservers = ["127.0.0.1"]
                dnssec = true
                [delivery]
                dane = false
                """);
        assertTrue(set.dnssec());
        assertFalse(set.delivery().dane());
        assertThrows(ConfigException.class, () -> parse("[dns]\ndnssec = \"yes\"\n"));
    }

    @Test
    void relativePathsAreTakenFromTheBase() throws ConfigException {
        Config c = parse("""
                data_dir = "data/../spool"
                [tls]
                certificate = "tls/cert.pem"
                private_key = "tls/key.pem"
                """);
        assertEquals(base.resolve("spool"), c.dataDir());
        assertEquals(base.resolve("tls/cert.pem"), c.tls().certificate());
        assertEquals(base.resolve("tls/key.pem"), c.tls().privateKey());
    }

    @Test
    void loadTakesRelativePathsFromTheFilesFolder() throws IOException {
        Path file = base.resolve("etc/petrel.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hostname = \"mx.test\"\ndata_dir = \"data\"\n");
        assertEquals(base.resolve("etc/data"), ConfigLoader.load(file).dataDir());
    }

    @Test
    void aMissingFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(base.resolve("nope.toml")));
        assertTrue(e.getMessage().contains("nope.toml"), e.getMessage());
    }

    @Test
    void invalidTomlIsAnError() throws IOException {
        assertThrows(ConfigException.class, () -> parse("hostname = "));
        Path file = base.resolve("broken.toml");
        Files.writeString(file, "[limits\nrecipients = 5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertTrue(e.getMessage().contains("broken.toml"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # a misspelt key anywhere is an error that names it and its line (line 1 is the test's hostname)
            hostnme = "x"                                    | line 2: hostnme: unknown setting
            [limits]\\nrecipient = 5                          | line 3: [limits] recipient: unknown setting
            [timeouts]\\ndata = "3m"                          | line 3: [timeouts] data: unknown setting
            [tls]\\ncert = "a.pem"                            | line 3: [tls] cert: unknown setting
            [policy]\\nrelay_network = []                     | line 3: [policy] relay_network: unknown setting
            [[listeners]]\\naddress = "127.0.0.1:25"\\nport = 25 | line 4: [[listeners]] port: unknown setting
            [smtp]\\nbanner = "hi"                            | line 2: smtp: unknown setting
            """)
    void unknownKeysAreErrors(String toml, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(toml.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    // CASL 11(3): an unsubscribe works for at least 60 days after sending
    @Test
    void anUnsubscribeValidityUnder60DaysIsRefused() throws Exception {
        assertEquals(java.time.Duration.ofDays(365), parse("").http().unsubscribeValidity());
        assertEquals(java.time.Duration.ofDays(60), parse("[http]\nunsubscribe_validity = \"60d\"").http()
                .unsubscribeValidity());
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("[http]\nunsubscribe_validity = \"59d\""));
        assertTrue(e.getMessage().contains("[http] unsubscribe_validity: at least 60d"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // every section is a table
            "policy = \"x\"", "limits = 5", "dns = []", "tls = \"x\"", "timeouts = 1", "admin = \"127.0.0.1:8025\"",
            // listeners is an array of tables
            "listeners = \"0.0.0.0:25\"",
    })
    void sectionsThatAreNotTablesAreErrors(String toml) {
        assertThrows(ConfigException.class, () -> parse(toml));
    }

    @Test
    void bounceTakesADomainComplaintsAddressesAndAFeedbackSenderId() throws ConfigException {
        assertEquals(Config.Bounce.DEFAULT, parse("").bounce());
        Config.Bounce b = parse("""
                [bounce]
                domain = "bounce.example.com"
                complaints = ["fbl@example.com"]
                feedback_id = "acme-mail"
                """).bounce();
        assertEquals(new Config.Bounce("bounce.example.com", List.of("fbl@example.com"), "acme-mail"), b);
        assertEquals("", parse("[bounce]\nfeedback_id = \"\"").bounce().feedbackId());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // Gmail's SenderId is 5 to 15 characters, and a colon would make it two fields
            "[bounce]\nfeedback_id = \"abcd\"", "[bounce]\nfeedback_id = \"a:bcdef\"",
            "[bounce]\nfeedback_id = \"abcdefghijklmnop\"", "[bounce]\ndomain = \"not a domain\"",
            "[bounce]\ncomplaints = [\"nobody\"]", "[bounce]\nverp = true"})
    void badBounceSettingsAreErrorsNamingThem(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(toml.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains("[bounce]"), e.getMessage());
    }

    @Test
    void listenersTakeHostPortAndRole() throws ConfigException {
        Config c = parse("""
                [[listeners]]
                address = "0.0.0.0:25"
                [[listeners]]
                address = "[::1]:587"
                role = "submission"
                [[listeners]]
                address = "192.0.2.1:465"
                role = "SUBMISSIONS"
                [[listeners]]
                address = "127.0.0.1:0"
                role = "mx"
                """);
        assertEquals(List.of(new Config.Listener("0.0.0.0", 25, Config.Role.MX),
                new Config.Listener("::1", 587, Config.Role.SUBMISSION),
                new Config.Listener("192.0.2.1", 465, Config.Role.SUBMISSIONS),
                new Config.Listener("127.0.0.1", 0, Config.Role.MX)), c.listeners());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # the role is one of three
            address = "0.0.0.0:25"\\nrole = "relay"       | role
            address = "0.0.0.0:25"\\nrole = 25            | role
            # an address is host:port with a port from 0 to 65535
            role = "mx"                                  | address
            address = "0.0.0.0"                          | address
            address = "0.0.0.0:65536"                    | port
            address = "0.0.0.0:-1"                       | port
            address = "0.0.0.0:smtp"                     | port
            address = "0.0.0.0:"                         | port
            address = 25                                 | address
            """)
    void badListenersAreErrors(String listener, String word) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("[[listeners]]\n" + listener.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(word), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # durations carry their unit
            500ms   | PT0.5S
            30s     | PT30S
            5m      | PT5M
            2h      | PT2H
            1d      | PT24H
            """)
    void timeoutsAreDurationsWithUnits(String text, Duration expected) throws ConfigException {
        Config c = parse("[timeouts]\ndata_block = \"" + text + "\"\n[limits]\nauth_failure_window = \"" + text + "\"");
        assertEquals(expected, c.timeouts().dataBlock());
        assertEquals(expected, c.limits().authFailureWindow());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\"0s\"", "\"5\"", "\"5 minutes\"", "\"-5m\"", "\"1.5h\"", "\"\"", "300",
            "\"9999999999999999d\""})
    void badDurationsAreErrors(String value) {
        assertThrows(ConfigException.class, () -> parse("[timeouts]\nhelo = " + value));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # a bare number is octets
            1048576      | 1048576
            "4096"       | 4096
            # SI and binary units
            "10MB"       | 10000000
            "512KiB"     | 524288
            "25MiB"      | 26214400
            "1GiB"       | 1073741824
            "2 kb"       | 2000
            """)
    void messageSizesMayCarryUnits(String value, long octets) throws ConfigException {
        assertEquals(octets, parse("[limits]\nmessage_size = " + value).limits().messageSize());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"0", "-5", "\"0\"", "\"lots\"", "\"10 TB\"", "\"-1MB\"", "1.5", "\"99999999999GiB\""})
    void badSizesAreErrors(String value) {
        assertThrows(ConfigException.class, () -> parse("[limits]\nmessage_size = " + value));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # whole numbers within their range
            recipients = 0               | recipients
            recipients = 100001          | recipients
            recipients = "5"             | recipients
            recipients = 1.5             | recipients
            line_length = 511            | line_length
            errors = 0                   | errors
            hops = 1001                  | hops
            connections_per_client = 0   | connections_per_client
            """)
    void limitsOutOfRangeAreErrors(String line, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[limits]\n" + line));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void limitsWithinRangeAreTaken() throws ConfigException {
        Config.Limits l = parse("""
                [limits]
                recipients = 100
                line_length = 512
                errors = 3
                connections = 10
                connections_per_client = 2
                auth_failures = 4
                hops = 30
                """).limits();
        assertEquals(new Config.Limits(25L << 20, 100, 512, 3, 10, 2, 4, Duration.ofMinutes(15), 30), l);
    }

    @Test
    void deliveryDefaultsFollowPostfix() throws ConfigException {
        Config.Delivery d = parse("").delivery();
        assertEquals(20, d.siteConcurrency());
        assertEquals(50, d.recipientsPerTransaction());
        assertEquals(Duration.ofMinutes(5), d.firstRetry());
        assertEquals(Duration.ofMinutes(66), d.maxRetry());
        assertEquals(Duration.ofDays(5), d.lifetime());
        assertEquals(Duration.ofHours(4), d.delayNotice());
        assertEquals(Duration.ofSeconds(30), d.connectTimeout());
        assertEquals(Duration.ZERO, parse("[delivery]\ndelay_notice = \"0\"").delivery().delayNotice());
        assertThrows(ConfigException.class, () -> parse("[delivery]\nfirst_retry = \"1h\"\nmax_retry = \"5m\""));
    }

    @Test
    void theStoreIsEmbeddedOrPostgresql() throws ConfigException {
        assertEquals("embedded", parse("").storeUrl());
        String pg = "postgresql://db.example:5432/petrel?user=petrel&password=s3cret";
        assertEquals(pg, parse("[store]\nurl = \"" + pg + "\"").storeUrl());
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[store]\nurl = \"mysql://db/petrel\""));
        assertTrue(e.getMessage().contains("store.url"), e.getMessage());
        assertThrows(ConfigException.class, () -> parse("store = \"embedded\""));
    }

    @Test
    void remotePortIsAPort() throws ConfigException {
        assertEquals(2525, parse("[delivery]\nremote_port = 2525").remotePort());
        assertThrows(ConfigException.class, () -> parse("[delivery]\nremote_port = 0"));
        assertThrows(ConfigException.class, () -> parse("[delivery]\nremote_port = 65536"));
    }

    @Test
    void certificateAndKeyGoTogether() {
        assertThrows(ConfigException.class, () -> parse("[tls]\ncertificate = \"cert.pem\""));
        assertThrows(ConfigException.class, () -> parse("[tls]\nprivate_key = \"key.pem\""));
    }

    @Test
    void listsOfStringsAreTaken() throws ConfigException {
        Config c = parse("""
                [policy]
                relay_networks = ["192.0.2.0/24", "2001:db8::/32"]
                [domains]
                local = ["example.com", "example.net"]
                [http]
                address = "[::1]:9000"
                """);
        assertEquals(List.of("192.0.2.0/24", "2001:db8::/32"), c.relayNetworks());
        assertEquals(List.of("example.com", "example.net"), c.localDomains());
        assertEquals("::1", c.http().host());
        assertEquals(9000, c.http().port());
        assertEquals("http://[::1]:9000", c.http().publicUrl());
        assertThrows(ConfigException.class, () -> parse("[policy]\nrelay_networks = \"192.0.2.0/24\""));
    }

    @Test
    void holdIsOffUnlessAskedFor() throws ConfigException {
        assertFalse(parse("").hold());
        assertTrue(parse("[policy]\nhold = true").hold());
        assertThrows(ConfigException.class, () -> parse("[policy]\nhold = \"yes\""));
    }

    @Test
    void stringsMustBeStrings() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("hostname = 5", base));
        assertTrue(e.getMessage().contains("hostname"), e.getMessage());
    }

    // found by ConfigFuzzTest: a NUL in a path escaped as InvalidPathException instead of a ConfigException
    @Test
    void aNulCharacterInAPathIsRefusedWithItsLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("data_dir = \"a\\u0000b\"\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("data_dir"), e.getMessage());
        assertThrows(ConfigException.class,
                () -> parse("[tls]\ncertificate = \"c\\u0000.pem\"\nprivate_key = \"k.pem\"\n"));
    }

    // found by ConfigFuzzTest: a NUL in the host name loaded, then broke the greeting (and check-config's output)
    @Test
    void controlCharactersInTheHostNameAreRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("hostname = \"mx\\r\\n250 x\"\n", base));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("hostname"), e.getMessage());
    }
}
