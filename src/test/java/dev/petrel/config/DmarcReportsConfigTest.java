package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [reports]} and {@code [mailauth] dmarc_quarantine}: defaults from the host name, values, mistakes. */
class DmarcReportsConfigTest {

    @TempDir
    Path base;

    private Config parse(String toml) throws ConfigException {
        return ConfigLoader.parse("hostname = \"mx.example.com\"\n" + toml, base);
    }

    @Test
    void theDefaultsFollowTheHostNameAndReportNothing() throws Exception {
        Config c = parse("");
        assertEquals(new Config.Reports("example.com", "noreply-reports@mx.example.com", "", false, false), c.reports());
        assertEquals(false, c.mailAuth().dmarcQuarantine());
        assertEquals("localhost", ConfigLoader.parse("hostname = \"localhost\"", base).reports().organization());
    }

    @Test
    void theReadmesLinesLoadAsTheDefaults() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("[reports]                          #");
        String block = readme.substring(start, readme.indexOf("\n[[milters]]", start));
        assertEquals(parse("").reports(), parse(block).reports());
        int auth = readme.indexOf("[mailauth]                         #");
        assertEquals(parse("").mailAuth(), parse(readme.substring(auth, readme.indexOf("\n[bounce]", auth)))
                .mailAuth());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        Config c = parse("[reports]\ndmarc = true\norganization = \"Example Inc.\"\nfrom = \"dmarc@example.com\"\n"
                + "contact = \"https://example.com/dmarc\"\n[mailauth]\ndmarc_quarantine = true\n");
        assertEquals(new Config.Reports("Example Inc.", "dmarc@example.com", "https://example.com/dmarc", false, true),
                c.reports());
        assertEquals(true, c.mailAuth().dmarcQuarantine());
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), base), "printed and read back");
    }

    @Test
    void aFromThatIsNoAddressOrAnUnknownKeyIsRefused() {
        ConfigException bad = assertThrows(ConfigException.class, () -> parse("[reports]\nfrom = \"nobody\"\n"));
        assertTrue(bad.getMessage().contains("[reports] from"), bad.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> parse("[reports]\nweekly = true\n"));
        assertTrue(unknown.getMessage().contains("weekly"), unknown.getMessage());
    }
}
