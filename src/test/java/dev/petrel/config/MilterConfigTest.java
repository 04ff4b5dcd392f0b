package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** [[milters]]: none by default; each with an address, Postfix's timeouts and default action, and mx alone unless said. */
class MilterConfigTest {

    @TempDir
    Path base;

    private Config parse(String milters) throws ConfigException {
        return ConfigLoader.parse("hostname = \"mx.test\"\n" + milters.replace("\\n", "\n"), base);
    }

    @Test
    void thereAreNoMiltersUnlessConfigured() throws ConfigException {
        assertEquals(List.of(), parse("").milters());
    }

    @Test
    void aMilterTakesPostfixsDefaults() throws ConfigException {
        Config.Milter m = parse("[[milters]]\naddress = \"inet:127.0.0.1:11332\"").milters().getFirst();
        assertEquals(new Config.Milter("inet:127.0.0.1:11332", Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(300), Config.MilterDefault.TEMPFAIL, Set.of(Config.Role.MX)), m);
    }

    @Test
    void everySettingIsReadAndPrintedBackAsItLoads() throws ConfigException {
        Config c = parse("""
                [[milters]]
                address = "unix:/run/rspamd/milter.sock"
                connect_timeout = "5s"
                command_timeout = "10s"
                total_timeout = "2m"
                default_action = "accept"
                roles = ["mx", "submission"]
                [[milters]]
                address = "inet:[::1]:8891"
                default_action = "reject"
                """);
        assertEquals(new Config.Milter("unix:/run/rspamd/milter.sock", Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMinutes(2), Config.MilterDefault.ACCEPT, Set.of(Config.Role.MX, Config.Role.SUBMISSION)),
                c.milters().getFirst());
        assertEquals(Config.MilterDefault.REJECT, c.milters().get(1).defaultAction());
        String printed = ConfigPrinter.print(c);
        assertTrue(printed.contains("roles = [\"mx\", \"submission\"]"), printed);
        assertEquals(c.milters(), ConfigLoader.parse(printed, base).milters());
    }

    @Test
    void theReadmeReferencesLinesLoadAsTheDefaults() throws Exception {
        // the [[milters]] part of the README's configuration reference, as written there
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        int start = readme.indexOf("[[milters]]                        #");
        String block = readme.substring(start, readme.indexOf("\n[store]", start));
        Config.Milter m = parse(block).milters().getFirst();
        assertEquals(new Config.Milter("inet:127.0.0.1:11332", Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(300), Config.MilterDefault.TEMPFAIL, Set.of(Config.Role.MX)), m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            default_action = "tempfail"                               | address: required
            address = "127.0.0.1:11332"                               | expected inet:host:port or unix:/path
            address = "inet:127.0.0.1"                                | expected inet:host:port or unix:/path
            address = "inet:127.0.0.1:99999"                          | expected inet:host:port or unix:/path
            address = "unix:"                                         | expected inet:host:port or unix:/path
            address = "inet:h:1"\\ndefault_action = "discard"         | expected accept, tempfail or reject
            address = "inet:h:1"\\nroles = ["smtp"]                   | expected mx, submission or submissions
            address = "inet:h:1"\\nroles = []                         | at least one listener role
            address = "inet:h:1"\\ncommand_timeout = "0s"             | command_timeout
            address = "inet:h:1"\\ntimeout = "5s"                     | timeout
            """)
    void aWrongSettingIsNamed(String milter, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[[milters]]\n" + milter));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
