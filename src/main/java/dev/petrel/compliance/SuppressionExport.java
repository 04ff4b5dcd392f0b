package dev.petrel.compliance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A suppression list written out whole, for the tenant's records or another system: JSON (an array of entries)
 * or CSV (RFC 4180: a header line, CRLF line ends, fields quoted when they need it). Each entry has the same fields
 * as in the API's answers: {@code address}, {@code stream} (null or empty for every stream), {@code reason},
 * {@code created} (ISO 8601, UTC) and {@code source_event}.
 */
public final class SuppressionExport {

    /** The columns, in order. */
    static final List<String> FIELDS = List.of("address", "stream", "reason", "created", "source_event");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** The formats an export is written in. */
    public enum Format {
        JSON, CSV;

        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("the format is json or csv, not " + text);
        }
    }

    private SuppressionExport() {}

    /** An entry as the API and the JSON export write it. */
    public static Map<String, Object> fields(Suppression s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", s.address());
        out.put("stream", s.stream());
        out.put("reason", s.reason().code());
        out.put("created", DateTimeFormatter.ISO_INSTANT.format(s.created()));
        out.put("source_event", s.sourceEvent());
        return out;
    }

    public static void write(List<Suppression> entries, Format format, Writer out) throws IOException {
        switch (format) {
            case JSON -> {
                JSON.writeValue(out, entries.stream().map(SuppressionExport::fields).toList());
                out.write("\n");
            }
            case CSV -> csv(entries, out);
        }
        out.flush();
    }

    private static void csv(List<Suppression> entries, Writer out) throws IOException {
        out.write(String.join(",", FIELDS) + "\r\n");
        for (Suppression s : entries) {
            Map<String, Object> fields = fields(s);
            StringBuilder line = new StringBuilder();
            for (String name : FIELDS) {
                if (!line.isEmpty()) {
                    line.append(',');
                }
                Object value = fields.get(name);
                line.append(field(value == null ? "" : value.toString()));
            }
            out.write(line.append("\r\n").toString());
        }
    }

    // RFC 4180 2.6, 2.7: a field with a comma, a quote or a line break is quoted, its quotes doubled
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
