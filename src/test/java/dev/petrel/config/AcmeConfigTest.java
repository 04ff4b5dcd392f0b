package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The [acme] section: off by default, its defaults, its checks, and its round trip through the printer. */
class AcmeConfigTest {

    private static final Path BASE = Path.of("/etc/petrel");
    private static final String ACME = """
            [acme]
            directory = "https://acme-v02.api.letsencrypt.org/directory"
            names = ["mx.example.com", "smtp.example.com"]
            """;

    @Test
    void withoutTheSectionAcmeIsOff() throws ConfigException {
        Config.Acme acme = ConfigLoader.parse("", BASE).acme();
        assertFalse(acme.enabled());
        assertEquals(Config.Acme.NONE, acme);
    }

    @Test
    void aDirectoryAndNamesAreEnoughAndTheRestHasDefaults() throws ConfigException {
        Config.Acme acme = ConfigLoader.parse(ACME, BASE).acme();
        assertTrue(acme.enabled());
        assertEquals(URI.create("https://acme-v02.api.letsencrypt.org/directory"), acme.directory());
        assertEquals(List.of("mx.example.com", "smtp.example.com"), acme.names());
        assertEquals("", acme.contact());
        assertFalse(acme.acceptTerms());
        assertEquals(Duration.ofDays(30), acme.renewBefore());
        assertEquals(Duration.ofHours(12), acme.checkInterval());
        assertEquals("http-01", acme.challenge());
        assertEquals(null, acme.trust());
    }

    @Test
    void everySettingSurvivesPrintingAndParsing() throws ConfigException {
        Config c = ConfigLoader.parse(ACME + """
                contact = "hostmaster@example.com"
                accept_terms = true
                renew_before = "20d"
                check_interval = "1h"
                trust = "ca.pem"
                """, BASE);
        assertEquals(BASE.resolve("ca.pem"), c.acme().trust());
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), BASE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the directory is fetched over HTTPS only (RFC 8555 6.1)
        "directory = \"http://ca.test/dir\"\\nnames = [\"mx.test\"]|[acme] directory: expected an https:// URL",
        "directory = \"https://ca.test/dir\"|[acme] names: missing",
        "directory = \"https://ca.test/dir\"\\nnames = [\"not a name\"]|[acme] names",
        "directory = \"https://ca.test/dir\"\\nnames = [\"mx.test\"]\\ncontact = \"nobody\"|[acme] contact",
        "directory = \"https://ca.test/dir\"\\nnames = [\"mx.test\"]\\nchallenge = \"tls-alpn-01\"|expected http-01",
        "directory = \"https://ca.test/dir\"\\nnames = [\"mx.test\"]\\nrenewal = \"1d\"|renewal",
    })
    void wrongSettingsAreErrorsThatNameThem(String section, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("[acme]\n" + section.replace("\\n", "\n"), BASE));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
