package dev.petrel.mailauth;

import dev.petrel.mail.dmarc.AggregateRow;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mail.dmarc.PublishedPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * One DMARC aggregate report (RFC 7489 7.2 and Appendix C): a UTC day of one policy domain's verdicts, as the XML
 * document a receiver sends, gzipped, with the file name and subject of RFC 7489 7.2.1.1.
 *
 * @param submitter the receiver's domain (the {@code Submitter} of the subject and the file name)
 * @param organization {@code org_name}: who made the report
 * @param email {@code email}: where the domain owner may write back
 * @param contact {@code extra_contact_info}, or null
 * @param reportId unique among this submitter's reports
 */
public record DmarcReport(String submitter, String organization, String email, String contact, String reportId,
                          LocalDate day, PublishedPolicy policy, List<AggregateRow> rows) {

    public DmarcReport {
        rows = List.copyOf(rows);
    }

    /** Seconds since the epoch when the day began: the report's {@code date_range begin}. */
    public long begin() {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** The day's last second: the report's {@code date_range end}. */
    public long end() {
        return begin() + 86_399;
    }

    /** RFC 7489 7.2.1.1: {@code receiver "!" policy-domain "!" begin-timestamp "!" end-timestamp ".xml.gz"}. */
    public String fileName() {
        return submitter + "!" + policy.domain() + "!" + begin() + "!" + end() + ".xml.gz";
    }

    /** RFC 7489 7.2.1.1: {@code Report Domain: D Submitter: S Report-ID: <id>}. */
    public String subject() {
        return "Report Domain: " + policy.domain() + " Submitter: " + submitter + " Report-ID: <" + reportId + ">";
    }

    /** The report, gzipped (RFC 7489 7.2.1.1: the aggregate data MUST be an XML file subjected to GZIP). */
    public byte[] gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(xml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The XML document of Appendix C. */
    public byte[] xml() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("feedback");
            element(w, "version", "1.0");
            metadata(w);
            policyPublished(w);
            for (AggregateRow row : rows) {
                record(w, row);
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing a DMARC report: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private void metadata(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("report_metadata");
        element(w, "org_name", organization);
        element(w, "email", email);
        if (contact != null) {
            element(w, "extra_contact_info", contact);
        }
        element(w, "report_id", reportId);
        w.writeStartElement("date_range");
        element(w, "begin", String.valueOf(begin()));
        element(w, "end", String.valueOf(end()));
        w.writeEndElement();
        w.writeEndElement();
    }

    private void policyPublished(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("policy_published");
        element(w, "domain", policy.domain());
        element(w, "adkim", policy.adkim());
        element(w, "aspf", policy.aspf());
        element(w, "p", policy.p());
        element(w, "sp", policy.sp());
        element(w, "pct", String.valueOf(policy.pct()));
        element(w, "fo", policy.fo());
        w.writeEndElement();
    }

    // RFC 7489 Appendix C RecordType: row, identifiers, auth_results
    private static void record(XMLStreamWriter w, AggregateRow r) throws XMLStreamException {
        w.writeStartElement("record");
        w.writeStartElement("row");
        element(w, "source_ip", r.sourceIp());
        element(w, "count", String.valueOf(r.count()));
        w.writeStartElement("policy_evaluated");
        element(w, "disposition", r.disposition());
        element(w, "dkim", r.dkim());
        element(w, "spf", r.spf());
        if (!r.reason().isEmpty()) {
            w.writeStartElement("reason");
            element(w, "type", r.reason());
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("identifiers");
        element(w, "envelope_from", r.envelopeFrom());
        element(w, "header_from", r.headerFrom());
        w.writeEndElement();
        authResults(w, r);
        w.writeEndElement();
    }

    private static void authResults(XMLStreamWriter w, AggregateRow r) throws XMLStreamException {
        w.writeStartElement("auth_results");
        for (DmarcVerdict.DkimAuth d : r.dkimResults()) {
            w.writeStartElement("dkim");
            element(w, "domain", d.domain());
            if (!d.selector().isEmpty()) {
                element(w, "selector", d.selector());
            }
            element(w, "result", d.result());
            w.writeEndElement();
        }
        // Appendix C: at least one spf element, for the identity checked
        w.writeStartElement("spf");
        element(w, "domain", r.spfResult().domain());
        element(w, "scope", r.spfResult().scope());
        element(w, "result", r.spfResult().result());
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    /** The XML as text, for tests and logs. */
    public String xmlText() {
        return new String(xml(), StandardCharsets.UTF_8);
    }
}
