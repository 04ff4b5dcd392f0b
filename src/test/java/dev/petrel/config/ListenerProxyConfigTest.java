package dev.petrel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The PROXY protocol settings of a [[listeners]] entry: off by default, on only with the proxies it trusts. */
class ListenerProxyConfigTest {

    @TempDir
    Path base;

    private Config parse(String listener) throws ConfigException {
        return ConfigLoader.parse("hostname = \"mx.test\"\n[[listeners]]\naddress = \"0.0.0.0:25\"\n"
                + listener.replace("\\n", "\n"), base);
    }

    @Test
    void aListenerHasNoProxyUnlessToldSo() throws ConfigException {
        assertEquals(Config.ProxyProtocol.OFF, parse("").listeners().getFirst().proxy());
        assertEquals(Duration.ofSeconds(5), Config.ProxyProtocol.OFF.timeout());
    }

    @Test
    void aListenerBehindAProxyNamesTheProxiesItTrustsAndMayTimeTheHeader() throws ConfigException {
        Config c = parse("proxy_protocol = true\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\nproxy_timeout = \"2s\"");
        assertEquals(new Config.ProxyProtocol(true, List.of("10.0.0.0/8", "::1"), Duration.ofSeconds(2)),
                c.listeners().getFirst().proxy());
        assertEquals(Duration.ofSeconds(5),
                parse("proxy_protocol = true\ntrusted_proxies = [\"127.0.0.1\"]").listeners().getFirst().proxy().timeout());
    }

    @Test
    void theReferencesOwnLinesLoad() throws ConfigException {
        // as the README's configuration reference writes them: off, no proxies, the default timeout
        Config c = parse("proxy_protocol = false\ntrusted_proxies = []\nproxy_timeout = \"5s\"");
        assertEquals(Config.ProxyProtocol.OFF, c.listeners().getFirst().proxy());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # on, it needs the proxies it trusts: with none, every connection would be dropped
            proxy_protocol = true                                              | trusted_proxies: required
            proxy_protocol = true\\ntrusted_proxies = []                       | trusted_proxies: required
            # the proxies are networks
            proxy_protocol = true\\ntrusted_proxies = ["haproxy.example"]      | not an IP network
            proxy_protocol = true\\ntrusted_proxies = ["10.0.0.0/33"]          | bad prefix length
            proxy_protocol = "yes"\\ntrusted_proxies = ["10.0.0.1"]            | proxy_protocol
            proxy_protocol = true\\ntrusted_proxies = ["10.0.0.1"]\\nproxy_timeout = "0s" | proxy_timeout
            # off, the other settings would do nothing: a forgotten proxy_protocol = true
            trusted_proxies = ["10.0.0.1"]                                     | only with proxy_protocol = true
            proxy_protocol = false\\ntrusted_proxies = ["10.0.0.1"]            | only with proxy_protocol = true
            """)
    void badProxySettingsAreErrors(String listener, String words) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(listener));
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertTrue(e.getMessage().contains("listeners"), e.getMessage());
    }
}
