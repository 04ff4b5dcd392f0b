package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [reports]: off by default, named after the host name, each setting read, printed and refused when wrong. */
class ReportsConfigTest {

    @TempDir
    Path base;

    private Config parse(String hostname, String section) throws ConfigException {
        return ConfigLoader.parse("hostname = \"" + hostname + "\"\n" + section, base);
    }

    @Test
    void reportsAreOffAndSignedWithTheHostNamesDomainByDefault() throws ConfigException {
        assertEquals(new Config.Reports("example.com", "noreply-reports@mx.example.com", "", false, false),
                parse("mx.example.com", "").reports());
        // a host name of two labels is its own domain
        assertEquals("example.com", parse("example.com", "").reports().organization());
    }

    @Test
    void everySettingIsReadAndPrintedBackAsItLoads() throws ConfigException {
        Config c = parse("mx.example.com", """
                [reports]
                organization = "Example Inc."
                from = "tlsrpt@example.com"
                contact = "postmaster@example.com"
                tls = true
                """);
        assertEquals(new Config.Reports("Example Inc.", "tlsrpt@example.com", "postmaster@example.com", true, false),
                c.reports());
        assertEquals(c, ConfigLoader.parse(ConfigPrinter.print(c), base));
    }

    @Test
    void theReadmesReferenceShowsTheDefaults() throws Exception {
        // the [reports] part of the README's configuration reference, as written there, for mx.example.com
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        int start = readme.indexOf("[reports]                          #");
        String block = readme.substring(start, readme.indexOf("\n[[milters]]", start));
        assertEquals(parse("mx.example.com", "").reports(), parse("mx.example.com", block).reports());
    }

    @Test
    void aWrongSenderOrAnUnknownKeyIsRefusedByName() {
        ConfigException from = assertThrows(ConfigException.class,
                () -> parse("mx.example.com", "[reports]\nfrom = \"not an address\"\n"));
        assertTrue(from.getMessage().contains("line 3: [reports] from:"), from.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> parse("mx.example.com", "[reports]\ndmarc_day = 1\n"));
        assertTrue(unknown.getMessage().contains("dmarc_day"), unknown.getMessage());
        // the default sender must be an address once reports are sent
        ConfigException host = assertThrows(ConfigException.class, () -> parse("my host", "[reports]\ntls = true\n"));
        assertTrue(host.getMessage().contains("[reports] from:"), host.getMessage());
    }
}
