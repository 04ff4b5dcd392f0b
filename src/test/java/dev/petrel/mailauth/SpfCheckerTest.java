package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Dnsmasq;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPF as Petrel checks it, next to pyspf (Debian python3-spf), the reference, for the same DNS data served by
 * one real dnsmasq: every case must give both the same result, and the result the table expects.
 */
class SpfCheckerTest {

    private static Dnsmasq dns;
    private static SpfChecker checker;

    @TempDir
    Path dir;

    /** One check: client address, MAIL FROM, HELO, and the result RFC 7208 gives. */
    private record Case(String ip, String sender, String helo, String expected) {}

    private static final List<Case> CASES = List.of(
            // ip4 ranges, and the default of a record without "all"
            new Case("192.0.2.10", "a@pass.spf.test", "c.test", "pass"),
            new Case("198.51.100.1", "a@pass.spf.test", "c.test", "fail"),
            new Case("198.51.100.1", "a@neutral.spf.test", "c.test", "neutral"),
            // include and redirect
            new Case("192.0.2.10", "a@include.spf.test", "c.test", "pass"),
            new Case("198.51.100.1", "a@include.spf.test", "c.test", "softfail"),
            new Case("192.0.2.10", "a@redirect.spf.test", "c.test", "pass"),
            new Case("198.51.100.1", "a@redirect.spf.test", "c.test", "fail"),
            new Case("192.0.2.10", "a@include-none.spf.test", "c.test", "permerror"),
            // a, mx, and a with a prefix length
            new Case("192.0.2.20", "a@amx.spf.test", "c.test", "pass"),
            new Case("192.0.2.21", "a@amx.spf.test", "c.test", "pass"),
            new Case("192.0.2.22", "a@amx.spf.test", "c.test", "fail"),
            new Case("203.0.113.99", "a@cidr.spf.test", "c.test", "pass"),
            new Case("203.0.114.1", "a@cidr.spf.test", "c.test", "fail"),
            // exists with macros: the client's address reversed, the version, the domain
            new Case("192.0.2.30", "a@exists.spf.test", "c.test", "pass"),
            new Case("192.0.2.31", "a@exists.spf.test", "c.test", "fail"),
            new Case("192.0.2.32", "jane@macro.spf.test", "c.test", "pass"),
            new Case("192.0.2.32", "john@macro.spf.test", "c.test", "fail"),
            // ptr: a validated name of the client
            new Case("192.0.2.40", "a@ptr.spf.test", "c.test", "pass"),
            new Case("192.0.2.41", "a@ptr.spf.test", "c.test", "fail"),
            // ip6
            new Case("2001:db8::1", "a@ip6.spf.test", "c.test", "pass"),
            new Case("2001:db9::1", "a@ip6.spf.test", "c.test", "fail"),
            // limits: three void look-ups, eleven DNS-querying terms
            new Case("192.0.2.10", "a@void.spf.test", "c.test", "permerror"),
            new Case("192.0.2.10", "a@many.spf.test", "c.test", "permerror"),
            // no record, two records, a syntax error
            new Case("192.0.2.10", "a@none.spf.test", "c.test", "none"),
            new Case("192.0.2.10", "a@nxdomain.spf.test", "c.test", "none"),
            new Case("192.0.2.10", "a@two.spf.test", "c.test", "permerror"),
            new Case("192.0.2.10", "a@syntax.spf.test", "c.test", "permerror"),
            // the null sender: the HELO identity
            new Case("192.0.2.10", "", "pass.spf.test", "pass"),
            new Case("198.51.100.1", "", "pass.spf.test", "fail"));

    @BeforeAll
    static void startDns() throws Exception {
        List<String> records = new ArrayList<>(List.of("--local=/spf.test/", "--host-record=ready.spf.test,127.0.0.1"));
        txt(records, "pass.spf.test", "v=spf1 ip4:192.0.2.0/24 -all");
        txt(records, "neutral.spf.test", "v=spf1 ip4:192.0.2.1");
        txt(records, "include.spf.test", "v=spf1 include:pass.spf.test ~all");
        txt(records, "redirect.spf.test", "v=spf1 redirect=pass.spf.test");
        txt(records, "include-none.spf.test", "v=spf1 include:none.spf.test -all");
        txt(records, "amx.spf.test", "v=spf1 a mx -all");
        records.add("--host-record=amx.spf.test,192.0.2.20");
        records.add("--mx-host=amx.spf.test,mx.amx.spf.test,10");
        records.add("--host-record=mx.amx.spf.test,192.0.2.21");
        txt(records, "cidr.spf.test", "v=spf1 a:host.cidr.spf.test/24 -all");
        records.add("--host-record=host.cidr.spf.test,203.0.113.5");
        txt(records, "exists.spf.test", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all");
        records.add("--host-record=30.2.0.192.in-addr._spf.exists.spf.test,127.0.0.2");
        txt(records, "macro.spf.test", "v=spf1 exists:%{l}.%{d2}.users.spf.test -all");
        records.add("--host-record=jane.spf.test.users.spf.test,127.0.0.2");
        txt(records, "ptr.spf.test", "v=spf1 ptr -all");
        records.add("--ptr-record=40.2.0.192.in-addr.arpa,host.ptr.spf.test");
        records.add("--host-record=host.ptr.spf.test,192.0.2.40");
        records.add("--ptr-record=41.2.0.192.in-addr.arpa,liar.ptr.spf.test");
        txt(records, "ip6.spf.test", "v=spf1 ip6:2001:db8::/32 -all");
        txt(records, "void.spf.test", "v=spf1 a:nx1.spf.test a:nx2.spf.test a:nx3.spf.test -all");
        StringBuilder many = new StringBuilder("v=spf1");
        for (int i = 1; i <= 11; i++) {
            many.append(" include:l").append(i).append(".spf.test");
            txt(records, "l" + i + ".spf.test", "v=spf1 -all");
        }
        txt(records, "many.spf.test", many + " -all");
        records.add("--host-record=none.spf.test,192.0.2.99");
        txt(records, "two.spf.test", "v=spf1 -all");
        txt(records, "two.spf.test", "v=spf1 +all");
        txt(records, "syntax.spf.test", "v=spf1 ip4:300.1.1.1 -all");
        dns = new Dnsmasq("ready.spf.test", records);
        checker = new SpfChecker(new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address())),
                Clock.systemUTC()));
    }

    private static void txt(List<String> records, String name, String value) {
        records.add("--txt-record=" + name + "," + value);
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void everyCaseGivesTheExpectedResultAndPyspfAgrees() throws Exception {
        List<String> petrel = new ArrayList<>();
        for (Case c : CASES) {
            petrel.add(checker.check(InetAddress.getByName(c.ip()), c.sender(), c.helo()).outcome().value());
        }
        List<String> expected = CASES.stream().map(Case::expected).toList();
        List<String> pyspf = pyspf();
        List<String> table = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            table.add(CASES.get(i) + " petrel=" + petrel.get(i) + " pyspf=" + pyspf.get(i));
        }
        String all = String.join("\n", table);
        assertEquals(expected, pyspf, "pyspf disagrees with the table:\n" + all);
        assertEquals(expected, petrel, "Petrel disagrees with the table:\n" + all);
    }

    @Test
    void theResultReadsAsAnAuthenticationResultsMethod() {
        assertEquals("spf=pass smtp.mailfrom=example.com",
                new SpfResult(SpfResult.Outcome.PASS, "mailfrom", "example.com", null).resinfo());
        assertEquals("spf=permerror (more than 10 DNS lookups) smtp.helo=mx.example.com",
                new SpfResult(SpfResult.Outcome.PERMERROR, "helo", "mx.example.com", "more than 10 DNS lookups").resinfo());
    }

    private List<String> pyspf() throws Exception {
        List<Map<String, String>> cases = new ArrayList<>();
        for (Case c : CASES) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("i", c.ip());
            m.put("s", c.sender());
            m.put("h", c.helo());
            cases.add(m);
        }
        Path file = dir.resolve("cases.json");
        new ObjectMapper().writeValue(file.toFile(), cases);
        String[] hostPort = dns.address().split(":");
        Process p = new ProcessBuilder("/usr/bin/python3", Path.of("src/test/resources/mailauth/spf_check.py")
                .toAbsolutePath().toString(), hostPort[0], hostPort[1], file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pyspf did not finish in 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
