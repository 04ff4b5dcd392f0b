package dev.petrel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.User;
import dev.petrel.cli.Petrel;
import dev.petrel.config.ConfigLoader;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mailauth.DkimAlgorithm;
import dev.petrel.mailauth.DkimKey;
import dev.petrel.mailauth.Dkimpy;
import dev.petrel.store.Stores;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 20, DMARC aggregate reports (RFC 7489 7): a server on the mx role takes mail from Python's smtplib, signed
 * by dkimpy, its SPF and DMARC records served by a private dnsmasq: aligned passes, a spoof refused under
 * p=reject, a failure held under p=quarantine. {@code petrel report send} then mails the day's reports through the
 * running server to the rua destinations, whose MX is Python's aiosmtpd: Python reads each report as a domain
 * owner's tools do (the gzip attachment, the Appendix C elements in order) and finds the counts, dispositions and
 * results of what was sent; dkimpy passes the report's signature. A destination in another organizational domain
 * gets a report only when it publishes the verification record (7.1); a second run sends nothing.
 */
class DmarcReportsTest {

    @RegisterExtension
    static final Scratch scratch = new Scratch();

    private static final String PYTHON = "/usr/bin/python3";
    private static final String USER = "alice@localhost";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @Test
    void theDaysReportsReachTheDomainsThatAskAndOnlyOnce() throws Exception {
        PetrelHome home = PetrelHome.create(scratch.newFolder("home"));
        SecureRandom random = new SecureRandom();
        // the reports' From is noreply-reports@mx.e2e.test: Petrel signs them with this key
        DkimKey own = DkimKey.generate(Domain.parse(PetrelHome.HOSTNAME), "rep", DkimAlgorithm.ED25519_SHA256, random);
        // the store made here is the server's: it starts with the domain the server would have seeded
        try (Stores stores = Stores.open(Stores.EMBEDDED, home.dataDir(), List.of(Domain.parse("localhost")),
                line -> {})) {
            stores.dkimKeys().add(new DkimKeyEntry(own.domain(), own.selector(), "ed25519", own.pkcs8(), true));
            stores.users().add(User.withPassword(Address.of(USER), "mailbox-secret", random));
        }
        DkimKey signer = DkimKey.generate(Domain.parse("sender.test"), "s2026", DkimAlgorithm.ED25519_SHA256, random);
        Path sinkDir = scratch.newFolder("sink");
        try (Dnsmasq dns = new Dnsmasq("ready.sender.test", records(signer));
             AiosmtpdSink sink = AiosmtpdSink.start(sinkDir)) {
            home.deliverThrough(dns.address(), sink.port, "", """

                    [mailauth]
                    dmarc_quarantine = true

                    [reports]
                    dmarc = true
                    contact = "https://e2e.test/dmarc"
                    """);
            // the server in this JVM (its start is the test's longest step in a process of its own), its log in the
            // folder kept when the test fails; the command line reaches it over its control socket, as on a host
            try (PrintStream log = new PrintStream(Files.newOutputStream(home.dir().resolve("server.log")), true,
                    StandardCharsets.UTF_8);
                 Petrel server = Petrel.start(ConfigLoader.load(home.config()), log)) {
                // PetrelHome's first listener is the mx one
                sendMail(home, server.addresses().getFirst().getPort(), signer);
                String day = LocalDate.now(ZoneOffset.UTC).toString();
                Programs.Result first = home.petrelOk(null, "report", "send", "--day", day, "--kind", "dmarc");
                // an unverified or too large destination counts among those asking for none
                assertTrue(first.stdout().contains("dmarc reports of " + day + ": 2 sent, 0 sent before, 0 failed,"
                        + " 1 domain(s) asking for none"), first.describe());
                Path serverLog = home.dir().resolve("server.log");
                assertTrue(Files.readString(serverLog).contains(
                        "domain=unverified.test to=<rua@thirdparty.test> status=unverified"), Files.readString(serverLog));
                Map<String, JsonNode> reports = Poll.until(ARRIVAL, "two reports at the sink",
                        () -> received(home.dir(), sinkDir, 2));
                assertSenderReport(reports.get("sender.test"), day);
                assertQuarantinedReport(reports.get("quarantined.test"));
                assertEquals(List.of("pass"), dkimpy(home.dir(), sinkDir, own.recordName(),
                        String.join("", own.recordStrings())));
                Programs.Result again = home.petrelOk(null, "report", "send", "--day", day);
                assertTrue(again.stdout().contains("all reports of " + day + ": 0 sent, 2 sent before, 0 failed,"
                        + " 1 domain(s) asking for none"), again.describe());
                assertTrue(Files.readString(serverLog).contains(
                        "domain=sender.test to=<dmarc@sender.test> status=already-sent"), Files.readString(serverLog));
                assertEquals(2, sink.peers().size(), "nothing more came: " + sink.peers());
            }
        }
    }

    // the signer's SPF, DKIM key and DMARC record; the rua destinations' MX (the sink on 127.0.0.2)
    private static List<String> records(DkimKey signer) {
        List<String> out = new ArrayList<>(List.of("--local=/sender.test/", "--local=/quarantined.test/",
                "--local=/unverified.test/", "--local=/thirdparty.test/", "--local=/other.test/",
                "--local=/sink.test/", "--host-record=ready.sender.test,127.0.0.1",
                "--mx-host=sender.test,mx.sink.test,10", "--mx-host=thirdparty.test,mx.sink.test,10",
                "--host-record=mx.sink.test,127.0.0.2",
                "--txt-record=" + signer.recordName() + "," + String.join(",", signer.recordStrings()),
                "--txt-record=_dmarc.sender.test,v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@sender.test",
                "--txt-record=_dmarc.quarantined.test,v=DMARC1; p=quarantine; rua=mailto:rua@thirdparty.test",
                "--txt-record=_dmarc.unverified.test,v=DMARC1; p=none; rua=mailto:rua@thirdparty.test",
                // RFC 7489 7.1: thirdparty.test takes quarantined.test's reports, not unverified.test's
                "--txt-record=quarantined.test._report._dmarc.thirdparty.test,v=DMARC1"));
        for (String domain : List.of("sender.test", "quarantined.test", "unverified.test")) {
            out.add("--txt-record=" + domain + ",v=spf1 ip4:127.0.0.1 -all");
        }
        return out;
    }

    // two aligned passes, a spoof refused (p=reject), a failure held (p=quarantine), a pass for unverified.test
    private static void sendMail(PetrelHome home, int port, DkimKey signer) throws Exception {
        Path dir = home.dir();
        byte[] signed = Dkimpy.sign(dir, message("news@sender.test", "signed"), signer, "relaxed/relaxed", false);
        assertEquals(List.of(250, 250), codes(send(dir, port, "bounce@sender.test", signed, 2)));
        assertEquals(List.of(550), codes(send(dir, port, "spoof@other.test", message("ceo@sender.test", "spoof"), 1)));
        assertEquals(List.of(250), codes(send(dir, port, "x@other.test", message("a@quarantined.test", "held"), 1)));
        assertEquals(List.of(250), codes(send(dir, port, "n@unverified.test", message("n@unverified.test", "ok"), 1)));
    }

    private static byte[] message(String from, String subject) {
        return ("From: <" + from + ">\r\nTo: <" + USER + ">\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 12:00:00 +0000\r\nMessage-ID: <" + subject + "@e2e.test>\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static JsonNode send(Path dir, int port, String sender, byte[] message, int count) throws Exception {
        Path file = Files.write(Files.createTempFile(dir, "message", ".eml"), message);
        return Smtplib.run(dir, "send", "--port", String.valueOf(port), "--sender", sender, "--rcpt", USER,
                "--message", file.toString(), "--count", String.valueOf(count));
    }

    private static List<Integer> codes(JsonNode result) {
        List<Integer> out = new ArrayList<>();
        result.get("messages").forEach(m -> out.add(m.path("data").path(0).asInt()));
        assertEquals(result.get("messages").size(), out.stream().filter(c -> c > 0).count(), result.toString());
        return out;
    }

    /** The reports at the sink by policy domain, once there are {@code expected}; null before. */
    private static Map<String, JsonNode> received(Path dir, Path sinkDir, int expected) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(sinkDir)) {
            files = list.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        if (files.size() < expected) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, Programs.resource("dmarc_report_read.py").toString()));
        files.forEach(f -> command.add(f.toString()));
        Programs.Result r = Programs.run(dir, "dmarc_report_read", command, null, Programs.CLIENT_TIMEOUT);
        assertEquals(0, r.exitCode(), r.describe());
        Map<String, JsonNode> out = new TreeMap<>();
        for (String line : r.stdout().lines().toList()) {
            JsonNode report = new ObjectMapper().readTree(line);
            out.put(report.get("policy").get("domain").asText(), report);
        }
        assertEquals(expected, out.size(), out.keySet().toString());
        return out;
    }

    private static void assertSenderReport(JsonNode r, String day) throws Exception {
        long begin = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        JsonNode meta = r.get("metadata");
        assertEquals("e2e.test", meta.get("org_name").asText());
        assertEquals("noreply-reports@mx.e2e.test", meta.get("email").asText());
        assertEquals("https://e2e.test/dmarc", meta.get("extra_contact_info").asText());
        assertEquals(begin, meta.get("begin").asLong());
        assertEquals(begin + 86_399, meta.get("end").asLong());
        assertEquals("Report Domain: sender.test Submitter: mx.e2e.test Report-ID: <" + meta.get("report_id").asText()
                + ">", r.get("subject").asText());
        assertEquals("mx.e2e.test!sender.test!" + begin + "!" + (begin + 86_399) + ".xml.gz",
                r.get("filename").asText());
        assertEquals("dmarc@sender.test", r.get("to").asText());
        assertEquals(json("{\"domain\":\"sender.test\",\"adkim\":\"s\",\"aspf\":\"r\",\"p\":\"reject\","
                + "\"sp\":\"reject\",\"pct\":100,\"fo\":\"0\"}"), r.get("policy"));
        assertEquals(json("""
                [{"source_ip":"127.0.0.1","count":2,"disposition":"none","dkim":"pass","spf":"pass","reasons":[],
                  "envelope_from":"sender.test","header_from":"sender.test",
                  "dkim_results":[{"domain":"sender.test","selector":"s2026","result":"pass"}],
                  "spf_results":[{"domain":"sender.test","scope":"mfrom","result":"pass"}]},
                 {"source_ip":"127.0.0.1","count":1,"disposition":"reject","dkim":"fail","spf":"fail","reasons":[],
                  "envelope_from":"other.test","header_from":"sender.test","dkim_results":[],
                  "spf_results":[{"domain":"other.test","scope":"mfrom","result":"none"}]}]"""),
                sorted(r.get("records")));
    }

    private static void assertQuarantinedReport(JsonNode r) throws Exception {
        assertEquals("rua@thirdparty.test", r.get("to").asText());
        assertEquals(json("""
                [{"source_ip":"127.0.0.1","count":1,"disposition":"quarantine","dkim":"fail","spf":"fail",
                  "reasons":[],"envelope_from":"other.test","header_from":"quarantined.test","dkim_results":[],
                  "spf_results":[{"domain":"other.test","scope":"mfrom","result":"none"}]}]"""), r.get("records"));
    }

    // by count, largest first: the order of rows is the store's, not the test's
    private static JsonNode sorted(JsonNode records) {
        List<JsonNode> list = new ArrayList<>();
        records.forEach(list::add);
        list.sort((a, b) -> Long.compare(b.get("count").asLong(), a.get("count").asLong()));
        return new ObjectMapper().valueToTree(list);
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    // dkimpy on every report received, the key as `petrel dkim keygen` printed it
    private static List<String> dkimpy(Path dir, Path sinkDir, String name, String record) throws Exception {
        Path table = Files.writeString(dir.resolve("keys.json"), new ObjectMapper().writeValueAsString(
                Map.of(name, record)));
        List<String> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(sinkDir)) {
            for (Path f : list.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                Programs.Result r = Programs.run(dir, "dkimpy", List.of(PYTHON, Path.of(
                        "src/test/resources/mailauth/dkim_verify.py").toAbsolutePath().toString(), f.toString(),
                        table.toString()), null, Programs.CLIENT_TIMEOUT);
                assertEquals(0, r.exitCode(), r.describe());
                out.addAll(r.stdout().lines().toList());
            }
        }
        return out.stream().distinct().toList();
    }
}
