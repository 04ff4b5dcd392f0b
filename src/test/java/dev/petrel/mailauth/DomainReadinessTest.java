package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.dns.DnsjavaResolver;
import dev.petrel.dns.Dnsmasq;
import dev.petrel.mail.Checklist;
import dev.petrel.mail.Domain;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DomainReadiness} against zones a real dnsmasq serves: a domain set up as Gmail and Yahoo ask, and domains
 * broken in each way the checklist tells (the DKIM items are given, as {@code dkim check} makes them).
 */
class DomainReadinessTest {

    private static final Checklist.Item SIGNED = new Checklist.Item("dkim", "s._domainkey.good.test",
            Checklist.Status.OK, "published, matches", null);

    private static Dnsmasq dns;
    private static DomainReadiness readiness;

    @BeforeAll
    static void serveZones() throws Exception {
        dns = new Dnsmasq("mx.good.test", List.of("--local=/good.test/", "--local=/broken.test/",
                "--local=/bounce.test/", "--local=/nullmx.test/", "--local=/0.0.127.in-addr.arpa/",
                // good.test: everything in place; its egress 127.0.0.2 is mx.good.test both ways
                "--host-record=mx.good.test,127.0.0.2",
                "--txt-record=good.test,v=spf1 ip4:127.0.0.2 -all",
                "--txt-record=_dmarc.good.test,v=DMARC1; p=reject; adkim=s; aspf=s",
                "--mx-host=good.test,mx.good.test,10",
                // broken.test: SPF for another address, no DMARC, no MX; 127.0.0.3 names a host that does not exist
                "--txt-record=broken.test,v=spf1 ip4:127.0.0.9 -all",
                "--ptr-record=3.0.0.127.in-addr.arpa,ghost.broken.test",
                // 127.0.0.4 is confirmed both ways, as other.broken.test
                "--host-record=other.broken.test,127.0.0.4",
                // a bounce domain of another organization whose SPF passes
                "--txt-record=bounce.test,v=spf1 ip4:127.0.0.2 -all",
                "--txt-record=_dmarc.nullmx.test,v=DMARC1; p=none",
                "--local=/nopolicy.test/", "--txt-record=_dmarc.nopolicy.test,v=DMARC1; rua=mailto:d@nopolicy.test",
                "--mx-host=nullmx.test,.,0"));
        readiness = new DomainReadiness(new DnsjavaResolver(DnsjavaResolver.Settings.of(List.of(dns.address())),
                Clock.systemUTC()), PublicSuffixList.bundled(), "mx.good.test");
    }

    @AfterAll
    static void stop() throws Exception {
        dns.close();
    }

    private static DomainReadiness.Egress egress(String address, String ehlo) throws Exception {
        return new DomainReadiness.Egress(InetAddress.getByName(address), ehlo, "pool default");
    }

    private static Checklist check(String domain, String envelope, List<DomainReadiness.Egress> egress, boolean bulk,
                                   boolean signed) {
        return readiness.check(new DomainReadiness.Sender(Domain.parse(domain), Domain.parse(envelope), egress, bulk,
                signed ? List.of(SIGNED) : List.of(new Checklist.Item("dkim", domain, Checklist.Status.MISSING,
                        "no key", null)), signed));
    }

    private static Checklist.Item only(Checklist list, String check) {
        List<Checklist.Item> items = list.items(check);
        assertEquals(1, items.size(), check + ": " + list);
        return items.getFirst();
    }

    @Test
    void aDomainSetUpAsTheRulesAskIsReadyForBulkMail() throws Exception {
        Checklist list = check("good.test", "good.test", List.of(egress("127.0.0.2", "mx.good.test")), true, true);
        assertTrue(list.ready(), list.toString());
        assertTrue(list.items().stream().allMatch(Checklist.Item::ok), list.toString());
        assertEquals("passes for 127.0.0.2", only(list, "spf").detail());
        assertEquals("p=reject, aligned by DKIM (d=good.test) and SPF (good.test)", only(list, "dmarc").detail());
        assertEquals("MX 10 mx.good.test", only(list, "mx").detail());
    }

    @Test
    void aBrokenDomainSaysWhatToPublishForEachCheck() throws Exception {
        Checklist list = check("broken.test", "broken.test", List.of(egress("127.0.0.3", "mx.broken.test")), false,
                false);
        assertFalse(list.ready());
        Checklist.Item spf = only(list, "spf");
        assertEquals(Checklist.Status.WRONG, spf.status(), spf.toString());
        assertTrue(spf.detail().startsWith("127.0.0.3 (pool default) gets fail"), spf.detail());
        assertEquals("broken.test. IN TXT \"v=spf1 ip4:127.0.0.3 ip4:127.0.0.9 -all\"", spf.publish());
        assertEquals(Checklist.Status.MISSING, only(list, "dmarc").status());
        assertEquals("_dmarc.broken.test. IN TXT \"v=DMARC1; p=none\"", only(list, "dmarc").publish());
        Checklist.Item ptr = only(list, "ptr");
        assertEquals(Checklist.Status.WRONG, ptr.status(), ptr.toString());
        assertEquals("ghost.broken.test. IN A 127.0.0.3", ptr.publish());
        assertEquals(Checklist.Status.MISSING, only(list, "mx").status());
        assertEquals("broken.test. IN MX 0 .", only(list, "mx").publish());
        assertEquals(List.of("SPF or DKIM passes (all senders): neither does",
                "a DMARC record, with SPF or DKIM passing aligned with the From domain (bulk senders)",
                "forward-confirmed reverse DNS of each sending address, matching its EHLO name (all senders)"),
                list.unmet());
    }

    @Test
    void anAddressWithoutPtrAndOneWhosePtrIsNotItsEhloNameAreNotConfirmed() throws Exception {
        Checklist list = check("good.test", "good.test", List.of(egress("127.0.0.2", "mx.good.test"),
                egress("127.0.0.4", "mx.good.test"), egress("127.0.0.5", "mx.good.test")), false, true);
        List<Checklist.Item> ptr = list.items("ptr");
        assertEquals(List.of(Checklist.Status.OK, Checklist.Status.WRONG, Checklist.Status.MISSING),
                ptr.stream().map(Checklist.Item::status).toList(), list.toString());
        assertTrue(ptr.get(1).detail().contains("PTR names other.broken.test but EHLO gives mx.good.test"),
                ptr.get(1).detail());
        assertEquals("4.0.0.127.in-addr.arpa. IN PTR mx.good.test.", ptr.get(1).publish());
        assertEquals("5.0.0.127.in-addr.arpa. IN PTR mx.good.test.", ptr.get(2).publish());
        // and SPF, which names 127.0.0.2 only, wants the two others added
        assertEquals("good.test. IN TXT \"v=spf1 ip4:127.0.0.4 ip4:127.0.0.5 ip4:127.0.0.2 -all\"",
                only(list, "spf").publish());
        assertFalse(list.ready());
    }

    @Test
    void aBulkSenderNeedsBothSpfAndDkimWhereOthersNeedOne() throws Exception {
        List<DomainReadiness.Egress> egress = List.of(egress("127.0.0.2", "mx.good.test"));
        Checklist transactional = check("good.test", "good.test", egress, false, false);
        assertTrue(transactional.ready(), transactional.toString());
        assertEquals("p=reject, aligned by SPF (good.test)", only(transactional, "dmarc").detail());
        Checklist bulk = check("good.test", "good.test", egress, true, false);
        assertEquals(List.of("both SPF and DKIM pass (bulk senders): DKIM does not"), bulk.unmet());
    }

    @Test
    void spfOfABounceDomainThatTheRecordDoesNotAlignLeavesDmarcWithoutAnAlignedPass() throws Exception {
        Checklist list = check("good.test", "bounce.test", List.of(egress("127.0.0.2", "mx.good.test")), false,
                false);
        assertTrue(only(list, "spf").ok(), "SPF passes for the bounce domain");
        assertEquals("bounce.test", only(list, "spf").subject());
        Checklist.Item dmarc = only(list, "dmarc");
        assertEquals(Checklist.Status.WRONG, dmarc.status());
        assertTrue(dmarc.detail().startsWith("p=reject, but neither SPF nor DKIM passes aligned with good.test"),
                dmarc.detail());
        assertEquals(List.of("a DMARC record, with SPF or DKIM passing aligned with the From domain (bulk senders)"),
                list.unmet());
    }

    @Test
    void aNullMxIsAnAnswerAndNoConfiguredSourceMeansTheHostNamesAddress() throws Exception {
        Checklist list = check("nullmx.test", "nullmx.test", List.of(), false, true);
        assertEquals("null MX (RFC 7505): the domain takes no mail", only(list, "mx").detail());
        Checklist.Item ptr = only(list, "ptr");
        assertEquals("127.0.0.2 (address of mx.good.test; no source is configured)", ptr.subject());
        assertTrue(ptr.ok(), ptr.toString());
        assertEquals(Checklist.Status.MISSING, only(list, "spf").status());
        assertEquals("nullmx.test. IN TXT \"v=spf1 ip4:127.0.0.2 ~all\"", only(list, "spf").publish());
        assertTrue(list.ready(), "DKIM passes, DMARC aligns by it, the address is confirmed: " + list);
    }

    @Test
    void aDmarcRecordWithoutAPolicyIsWrongAndSaysSo() throws Exception {
        Checklist list = check("nopolicy.test", "nopolicy.test", List.of(egress("127.0.0.2", "mx.good.test")), false,
                true);
        Checklist.Item dmarc = only(list, "dmarc");
        assertEquals(Checklist.Status.WRONG, dmarc.status());
        assertEquals("record without a valid p=", dmarc.detail());
        assertEquals("_dmarc.nopolicy.test. IN TXT \"v=DMARC1; p=none\"", dmarc.publish());
        assertFalse(list.ready());
    }

    @Test
    void aDnsThatDoesNotAnswerIsNeverTakenForOk() throws Exception {
        // nothing listens on the discard port: every look-up times out
        DomainReadiness silent = new DomainReadiness(new DnsjavaResolver(DnsjavaResolver.Settings.of(
                List.of("127.0.0.1:9")).withTimeout(Duration.ofMillis(200)).withRetries(0), Clock.systemUTC()),
                PublicSuffixList.bundled(), "mx.good.test");
        Checklist list = silent.check(new DomainReadiness.Sender(Domain.parse("good.test"), Domain.parse("good.test"),
                List.of(egress("127.0.0.2", "mx.good.test")), false, List.of(SIGNED), true));
        for (String check : List.of("spf", "dmarc", "ptr", "mx")) {
            Checklist.Item item = only(list, check);
            assertEquals(Checklist.Status.WRONG, item.status(), item.toString());
        }
        assertTrue(only(list, "ptr").detail().startsWith("cannot tell now: DNS failure"), list.toString());
        assertFalse(list.ready());
    }
}
