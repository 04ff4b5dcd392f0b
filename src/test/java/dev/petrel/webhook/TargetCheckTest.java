package dev.petrel.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetCheckTest {

    // a fake resolver: no DNS in unit tests
    private static final Map<String, String> HOSTS = Map.of("hooks.example.com", "93.184.216.34",
            "internal.example.com", "10.1.2.3", "mixed.example.com", "93.184.216.34,127.0.0.1",
            "v6.example.com", "2606:2800:220:1:248:1893:25c8:1946");

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        String found = HOSTS.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> out = new java.util.ArrayList<>();
        for (String a : found.split(",")) {
            out.add(InetAddress.getByName(a));
        }
        return out;
    }

    private final TargetCheck strict = new TargetCheck(false, TargetCheckTest::resolve);
    private final TargetCheck lenient = new TargetCheck(true, TargetCheckTest::resolve);

    @Test
    void anHttpsUrlOnAPublicAddressIsAllowed() throws Exception {
        assertEquals("hooks.example.com", strict.check("https://hooks.example.com/petrel?x=1").getHost());
        strict.check("https://v6.example.com/");
        strict.check("https://93.184.216.34:8443/in");
    }

    @ParameterizedTest
    @CsvSource({
            // plain http is refused by default
            "http://hooks.example.com/",
            // other schemes and no host
            "ftp://hooks.example.com/", "https:///path", "not a url",
            // names resolving to private, loopback, or a mix
            "https://internal.example.com/", "https://mixed.example.com/", "https://nowhere.example.com/",
            // literal addresses that are not public
            "https://127.0.0.1/", "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://0.0.0.0/",
            "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/",
            "https://224.0.0.1/",
            // credentials in the URL
            "https://user:pw@hooks.example.com/"})
    void byDefaultOnlyHttpsOnPublicAddressesPasses(String url) {
        assertThrows(TargetCheck.Refused.class, () -> strict.check(url));
    }

    @Test
    void allowingPrivateTargetsPermitsHttpAndLoopback() throws Exception {
        lenient.check("http://127.0.0.1:8080/hook");
        lenient.check("https://internal.example.com/");
        TargetCheck.Refused e = assertThrows(TargetCheck.Refused.class, () -> lenient.check("ftp://127.0.0.1/"));
        assertTrue(e.getMessage().contains("https or http"), e.getMessage());
    }

    @Test
    void theRefusalSaysWhichAddressAndWhichSettingAllowsIt() {
        TargetCheck.Refused e = assertThrows(TargetCheck.Refused.class, () -> strict.check("https://internal.example.com/"));
        assertTrue(e.getMessage().contains("10.1.2.3") && e.getMessage().contains("webhook_allow_private"), e.getMessage());
    }
}
