package dev.petrel.mailauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.mail.dmarc.AggregateRow;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mail.dmarc.PublishedPolicy;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The aggregate report's XML (RFC 7489 Appendix C), its file name and subject (7.2.1.1), and its gzip. */
class DmarcReportTest {

    private static final PublishedPolicy POLICY = new PublishedPolicy("example.com", "r", "s", "reject", "quarantine",
            50, "1", List.of("mailto:dmarc@example.com"));
    private static final AggregateRow PASS = new AggregateRow("192.0.2.1", 3, "none", "pass", "fail", "",
            "example.com", "bounce.example.com", List.of(new DmarcVerdict.DkimAuth("example.com", "s1", "pass"),
                    new DmarcVerdict.DkimAuth("esp.test", "", "fail")),
            new DmarcVerdict.SpfAuth("bounce.example.com", "mfrom", "softfail"));
    private static final AggregateRow SAMPLED = new AggregateRow("2001:db8::1", 1, "quarantine", "fail", "fail",
            "sampled_out", "example.com", "", List.of(), new DmarcVerdict.SpfAuth("helo.test", "helo", "none"));

    private static DmarcReport report(String contact) {
        return new DmarcReport("mx.receiver.test", "Receiver <& Co>", "reports@receiver.test", contact,
                "20261206.example.com@mx.receiver.test", LocalDate.parse("2026-12-06"), POLICY, List.of(PASS, SAMPLED));
    }

    @Test
    void theDocumentHasAppendixCsElementsInOrder() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><feedback><version>1.0</version>"
                + "<report_metadata><org_name>Receiver &lt;&amp; Co&gt;</org_name><email>reports@receiver.test</email>"
                + "<extra_contact_info>https://receiver.test/dmarc</extra_contact_info>"
                + "<report_id>20261206.example.com@mx.receiver.test</report_id>"
                + "<date_range><begin>1796515200</begin><end>1796601599</end></date_range></report_metadata>"
                + "<policy_published><domain>example.com</domain><adkim>r</adkim><aspf>s</aspf><p>reject</p>"
                + "<sp>quarantine</sp><pct>50</pct><fo>1</fo></policy_published>"
                + "<record><row><source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated>"
                + "<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>"
                + "<identifiers><envelope_from>bounce.example.com</envelope_from><header_from>example.com</header_from>"
                + "</identifiers><auth_results><dkim><domain>example.com</domain><selector>s1</selector>"
                + "<result>pass</result></dkim><dkim><domain>esp.test</domain><result>fail</result></dkim>"
                + "<spf><domain>bounce.example.com</domain><scope>mfrom</scope><result>softfail</result></spf>"
                + "</auth_results></record>"
                + "<record><row><source_ip>2001:db8::1</source_ip><count>1</count><policy_evaluated>"
                + "<disposition>quarantine</disposition><dkim>fail</dkim><spf>fail</spf>"
                + "<reason><type>sampled_out</type></reason></policy_evaluated></row>"
                + "<identifiers><envelope_from></envelope_from><header_from>example.com</header_from></identifiers>"
                + "<auth_results><spf><domain>helo.test</domain><scope>helo</scope><result>none</result></spf>"
                + "</auth_results></record></feedback>", report("https://receiver.test/dmarc").xmlText());
    }

    @Test
    void withoutAContactThereIsNoExtraContactInfo() {
        assertTrue(!report(null).xmlText().contains("extra_contact_info"));
    }

    @Test
    void theFileNameAndSubjectFollowSection7211() {
        DmarcReport r = report(null);
        assertEquals("mx.receiver.test!example.com!1796515200!1796601599.xml.gz", r.fileName());
        assertEquals("Report Domain: example.com Submitter: mx.receiver.test Report-ID: "
                + "<20261206.example.com@mx.receiver.test>", r.subject());
    }

    @Test
    void theGzipHoldsTheDocument() throws Exception {
        DmarcReport r = report(null);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.gzip()))) {
            assertArrayEquals(r.xml(), in.readAllBytes());
        }
    }
}
