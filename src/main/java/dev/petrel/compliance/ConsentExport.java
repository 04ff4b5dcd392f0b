package dev.petrel.compliance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence of a tenant's consents, for an inquiry under CASL (section 13 puts the burden of proving consent on
 * the sender): every record of the ledger (consents, withdrawals, unsubscribes, which are withdrawals with source
 * {@code unsubscribe}) and every broadcast message sent with the record it relied on, of the tenant or of one
 * recipient. JSON: an object with {@code records} and {@code messages}; CSV (RFC 4180): one table whose
 * {@code type} column says {@code consent}, {@code withdrawal} or {@code message}.
 */
public final class ConsentExport {

    /** The CSV's columns, in order; a row leaves empty those its type has not. */
    static final List<String> COLUMNS = List.of("type", "id", "recipient", "kind", "at", "source", "recorded",
            "form", "url", "ip", "wording", "note", "message_id", "stream", "consent_id");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ConsentExport() {}

    /** A record as the API and the export write it. */
    public static Map<String, Object> fields(Consent c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("recipient", c.recipient());
        out.put("kind", c.kind().text());
        out.put("at", DateTimeFormatter.ISO_INSTANT.format(c.at()));
        out.put("source", c.source());
        out.put("recorded", DateTimeFormatter.ISO_INSTANT.format(c.recorded()));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("form", c.evidence().form());
        evidence.put("url", c.evidence().url());
        evidence.put("ip", c.evidence().ip());
        evidence.put("wording", c.evidence().wording());
        evidence.put("note", c.evidence().note());
        out.put("evidence", evidence);
        return out;
    }

    /** A broadcast message as the export writes it; {@code consent_id} null when none held. */
    public static Map<String, Object> fields(ConsentUse u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_id", u.messageId());
        out.put("recipient", u.recipient());
        out.put("stream", u.stream());
        out.put("sent", DateTimeFormatter.ISO_INSTANT.format(u.at()));
        out.put("consent_id", u.consentId() == 0 ? null : u.consentId());
        return out;
    }

    public static void write(List<Consent> records, List<ConsentUse> uses, SuppressionExport.Format format,
                             Writer out) throws IOException {
        switch (format) {
            case JSON -> {
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("records", records.stream().map(ConsentExport::fields).toList());
                all.put("messages", uses.stream().map(ConsentExport::fields).toList());
                JSON.writeValue(out, all);
                out.write("\n");
            }
            case CSV -> csv(records, uses, out);
        }
        out.flush();
    }

    private static void csv(List<Consent> records, List<ConsentUse> uses, Writer out) throws IOException {
        out.write(String.join(",", COLUMNS) + "\r\n");
        for (Consent c : records) {
            Consent.Evidence e = c.evidence();
            row(out, c.kind() == Consent.Kind.WITHDRAWAL ? "withdrawal" : "consent", Long.toString(c.id()),
                    c.recipient(), c.kind().text(), DateTimeFormatter.ISO_INSTANT.format(c.at()), c.source(),
                    DateTimeFormatter.ISO_INSTANT.format(c.recorded()), e.form(), e.url(), e.ip(), e.wording(),
                    e.note(), "", "", "");
        }
        for (ConsentUse u : uses) {
            row(out, "message", "", u.recipient(), "", DateTimeFormatter.ISO_INSTANT.format(u.at()), "", "", "", "",
                    "", "", "", u.messageId(), u.stream(), u.consentId() == 0 ? "" : Long.toString(u.consentId()));
        }
    }

    private static void row(Writer out, String... values) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            line.append(i == 0 ? "" : ",").append(SuppressionExport.field(values[i]));
        }
        out.write(line.append("\r\n").toString());
    }
}
