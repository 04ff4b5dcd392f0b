package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.dns.Dnsmasq;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code petrel domain check} run as a process, and its routes on a running server called with curl, against a
 * dnsmasq serving a domain set up as Gmail and Yahoo ask (good.test, with the DKIM key Petrel made), one broken in
 * every check (broken.test), and a tenant's domain without a DKIM key whose tenant sends bulk mail (acme.test).
 */
class DomainCheckTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final Pattern ZONE_LINE = Pattern.compile("^(\\S+)\\. IN TXT \"([^\"]*)\"$", Pattern.MULTILINE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PetrelHome home;
    private static Dnsmasq dns;
    private static ServerProcess server;
    private static HttpClientCurl http;
    private static String token;
    private static String acmeKey;

    @BeforeAll
    static void setUp() throws Exception {
        home = PetrelHome.create(scratch.newFolder("home"));
        ok("domain", "add", "good.test");
        ok("domain", "add", "broken.test");
        ok("tenant", "add", "acme");
        ok("domain", "add", "acme.test", "--tenant", "acme");
        ok("stream", "add", "acme", "news", "--kind", "broadcast");
        acmeKey = ok("key", "create", "acme").stdout().strip();
        token = ok("admin-token", "create", "ops").stdout().strip();
        Matcher key = ZONE_LINE.matcher(ok("dkim", "keygen", "good.test", "--selector", "s1", "--algorithm",
                "ed25519").stdout());
        assertTrue(key.find());
        List<String> records = new ArrayList<>(List.of("--local=/good.test/", "--local=/broken.test/",
                "--local=/acme.test/", "--local=/0.0.127.in-addr.arpa/",
                "--host-record=mx.good.test,127.0.0.2", "--mx-host=good.test,mx.good.test,10",
                "--txt-record=good.test,v=spf1 ip4:127.0.0.2 -all",
                "--txt-record=_dmarc.good.test,v=DMARC1; p=quarantine",
                "--txt-record=" + key.group(1) + "," + key.group(2),
                "--txt-record=broken.test,v=spf1 -all",
                "--txt-record=acme.test,v=spf1 ip4:127.0.0.2 -all",
                "--txt-record=_dmarc.acme.test,v=DMARC1; p=none", "--mx-host=acme.test,.,0"));
        dns = new Dnsmasq("mx.good.test", records);
        // the default pool sends from 127.0.0.2 as mx.good.test
        home.deliverThrough(dns.address(), 9, "", """

                [[delivery.egress]]
                name = "default"
                sources = ["127.0.0.2"]
                ehlo = "mx.good.test"
                """);
        server = home.start();
        http = new HttpClientCurl(home.dir(), "http://127.0.0.1:" + server.port("http"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static Programs.Result ok(String... args) throws Exception {
        return home.petrelOk(null, args);
    }

    @Test
    void aDomainSetUpAsTheRulesAskIsReadyAndTheCommandExitsZero() throws Exception {
        Programs.Result r = ok("domain", "check", "good.test");
        String out = r.stdout();
        assertTrue(out.startsWith("domain check good.test\n"), r.describe());
        assertTrue(out.contains("  ok       spf    good.test: passes for 127.0.0.2\n"), r.describe());
        assertTrue(out.contains("  ok       dkim   s1._domainkey.good.test: published, matches\n"), r.describe());
        assertTrue(out.contains("  ok       dmarc  _dmarc.good.test: p=quarantine, aligned by DKIM (d=good.test) and"
                + " SPF (good.test)\n"), r.describe());
        assertTrue(out.contains("  ok       ptr    127.0.0.2 (pool default): PTR mx.good.test resolves back to the"
                + " address and is the EHLO name\n"), r.describe());
        assertTrue(out.contains("  ok       mx     good.test: MX 10 mx.good.test\n"), r.describe());
        assertTrue(out.endsWith("ready: what Gmail's and Yahoo's sender rules require is in place\n"), r.describe());
    }

    @Test
    void aBrokenDomainExitsOneAndSaysWhatToPublish() throws Exception {
        Programs.Result r = home.petrel(null, "domain", "check", "broken.test");
        assertEquals(1, r.exitCode(), r.describe());
        String out = r.stdout();
        assertTrue(out.contains("  wrong    spf    broken.test: 127.0.0.2 (pool default) gets fail"), r.describe());
        assertTrue(out.contains("publish: broken.test. IN TXT \"v=spf1 ip4:127.0.0.2 -all\"\n"), r.describe());
        assertTrue(out.contains("  missing  dkim   broken.test: broken.test has no DKIM key (petrel dkim keygen"
                + " broken.test)\n"), r.describe());
        assertTrue(out.contains("  missing  dmarc  _dmarc.broken.test: no DMARC record\n"
                + "                  publish: _dmarc.broken.test. IN TXT \"v=DMARC1; p=none\"\n"), r.describe());
        assertTrue(out.contains("  missing  mx     broken.test: no MX record"), r.describe());
        assertTrue(out.contains("not ready: Gmail's and Yahoo's sender rules require\n"
                + "  - SPF or DKIM passes (all senders): neither does\n"), r.describe());
        // the reverse DNS of the pool's address is the same for every domain, and in place
        assertTrue(out.contains("  ok       ptr    127.0.0.2 (pool default)"), r.describe());
    }

    @Test
    void jsonTellsTheSameForMachines() throws Exception {
        Programs.Result r = home.petrel(null, "domain", "check", "broken.test", "--json");
        assertEquals(1, r.exitCode(), r.describe());
        JsonNode list = JSON.readTree(r.stdout());
        assertEquals("broken.test", list.path("domain").asText());
        assertFalse(list.path("ready").asBoolean(true));
        assertEquals(2, list.path("unmet").size(), r.stdout());
        JsonNode dmarc = check(list, "dmarc");
        assertEquals("missing", dmarc.path("status").asText());
        assertEquals("_dmarc.broken.test. IN TXT \"v=DMARC1; p=none\"", dmarc.path("publish").asText());
        assertEquals("0", ok("domain", "check", "good.test", "--json").exitCode() + "");
    }

    @Test
    void aDomainPetrelDoesNotHaveIsAnError() throws Exception {
        Programs.Result r = home.petrel(null, "domain", "check", "nowhere.test");
        assertEquals(1, r.exitCode(), r.describe());
        assertEquals("petrel: no domain nowhere.test (petrel domain add nowhere.test)\n", r.stderr());
    }

    @Test
    void theAdminRouteChecksAnyDomainAndATenantOnlyItsOwn() throws Exception {
        HttpClientCurl.Response good = http.get("/admin/v1/domains/good.test/check", token);
        assertEquals(200, good.status(), good.describe());
        assertTrue(good.json().path("ready").asBoolean(false), good.body());
        assertEquals("ok", check(good.json(), "dkim").path("status").asText());
        HttpClientCurl.Response own = http.get("/v1/domains/acme.test/check", acmeKey);
        assertEquals(200, own.status(), own.describe());
        // a bulk sender (acme has a broadcast stream) without DKIM is not ready, though SPF passes
        assertTrue(own.json().path("bulk").asBoolean(false), own.body());
        assertFalse(own.json().path("ready").asBoolean(true), own.body());
        assertEquals("both SPF and DKIM pass (bulk senders): DKIM does not",
                own.json().path("unmet").path(0).asText(), own.body());
        assertEquals("null MX (RFC 7505): the domain takes no mail", check(own.json(), "mx").path("detail").asText());
        HttpClientCurl.Response foreign = http.get("/v1/domains/good.test/check", acmeKey);
        assertEquals(404, foreign.status(), foreign.describe());
        assertEquals("not_found", foreign.json().path("error").path("code").asText(), foreign.body());
        HttpClientCurl.Response missing = http.get("/admin/v1/domains/nowhere.test/check", token);
        assertEquals(404, missing.status(), missing.describe());
        assertEquals(403, http.get("/admin/v1/domains/good.test/check", acmeKey).status(),
                "an API key is not an admin token");
    }

    private static JsonNode check(JsonNode list, String name) {
        for (JsonNode c : list.path("checks")) {
            if (c.path("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no " + name + " check in " + list);
    }
}
