package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A configuration error names the file, the line, the setting and what was expected instead. */
class ConfigErrorLinesTest {

    @TempDir
    Path dir;

    private static final String HEAD = """
            # Petrel on a test machine
            hostname = "mx.test"

            [[listeners]]
            address = "127.0.0.1:0"

            [limits]
            """;

    private String errorOf(String file, String text) throws IOException {
        Path path = dir.resolve(file);
        Files.writeString(path, text);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(path)).getMessage();
    }

    @Test
    void aWrongValueIsReportedWithFileLineSettingAndWhatWasExpected() throws IOException {
        String message = errorOf("petrel.toml", HEAD + "errors = 5\nrecipients = \"many\"\n");
        assertEquals(dir.resolve("petrel.toml") + " line 9: [limits] recipients: expected a whole number from 1"
                + " to 100000, got \"many\"", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # the line of the wrong setting, wherever it is (HEAD's [limits] starts at line 7)
            hops = 0                                          | line 8: [limits] hops: expected a whole number from 1 to 1000, got 0
            auth_failure_window = "soon"                      | line 8: [limits] auth_failure_window: not a duration (use 500ms, 30s, 5m, 1h or 5d): soon
            recipent = 5                                      | line 8: [limits] recipent: unknown setting
            \\n[timeouts]\\ndrain = "0s"                       | line 10: [timeouts] drain: expected a duration longer than zero, got "0s"
            \\n[policy]\\nhold = "yes"                         | line 10: [policy] hold: expected true or false, got "yes"
            \\n[policy]\\nrelay_networks = ["10.0.0.0/99"]     | line 10: [policy] relay_networks: bad prefix length: 10.0.0.0/99
            \\n[domains]\\nlocal = ["a..b"]                    | line 10: [domains] local: invalid domain: a..b
            \\n[[listeners]]\\naddress = "127.0.0.1:0"\\nrole = "relay" | line 11: [[listeners]] role: expected mx, submission or submissions, got "relay"
            \\n[local_delivery.transports]\\n"example.org" = "smtp:x" | line 10: [local_delivery.transports] example.org: expected "maildir", "lmtp:host:port" or "lmtp:unix:/path", got "smtp:x"
            \\n[tls]\\ncertificate = "c.pem"                   | line 9: [tls] private_key: missing: certificate and private_key go together
            \\n[delivery]\\nfirst_retry = "1h"\\nmax_retry = "5m" | line 11: [delivery] max_retry: must not be shorter than first_retry
            \\n[smtp]                                          | line 9: smtp: unknown setting
            """)
    void eachKindOfErrorNamesItsLine(String tail, String expected) throws IOException {
        String message = errorOf("p.toml", HEAD + tail.replace("\\n", "\n") + "\n");
        assertEquals(dir.resolve("p.toml") + " " + expected, message);
    }

    @Test
    void aTomlSyntaxErrorNamesItsLine() throws IOException {
        String message = errorOf("petrel.toml", HEAD + "recipients = \n");
        assertEquals(dir.resolve("petrel.toml") + " line 8", message.substring(0, message.indexOf(':')));
    }

    @Test
    void aKeyOfAnInlineTableIsFoundAtItsTablesLine() throws IOException {
        String message = errorOf("petrel.toml", "hostname = \"mx.test\"\nlimits = { hops = -1 }\n");
        assertEquals(dir.resolve("petrel.toml") + " line 2: [limits] hops: expected a whole number from 1 to 1000,"
                + " got -1", message);
    }

    @Test
    void aMultiLineStringDoesNotHideOrFakeALine() throws IOException {
        String message = errorOf("petrel.toml", "hostname = \"\"\"mx.test\nhops = 1\n\"\"\"\n[limits]\nhops = 0\n");
        assertEquals(dir.resolve("petrel.toml") + " line 5: [limits] hops: expected a whole number from 1 to 1000,"
                + " got 0", message);
    }

    @Test
    void aProblemFoundAfterLoadingNamesTheSettingsLine() throws IOException {
        Path path = dir.resolve("petrel.toml");
        Files.writeString(path, HEAD + "\n[tls]\ncertificate = \"/x/cert.pem\"\nprivate_key = \"/x/key.pem\"\n");
        assertEquals(path + " line 10: [tls] certificate: no such file: /x/cert.pem",
                ConfigLoader.problem(path, "tls.certificate", "no such file: /x/cert.pem").getMessage());
    }

    @Test
    void theDrainTimeoutIsThirtySecondsUnlessSet() throws ConfigException {
        assertEquals(Duration.ofSeconds(30), ConfigLoader.parse("hostname = \"x\"", dir).timeouts().drain());
        assertEquals(Duration.ofMinutes(2),
                ConfigLoader.parse("hostname = \"x\"\n[timeouts]\ndrain = \"2m\"", dir).timeouts().drain());
    }
}
