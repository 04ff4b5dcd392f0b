package dev.petrel.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsResults;
import dev.petrel.mail.Domain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One domain's TLS report of one UTC day (RFC 8460 4.4): who reports, the day, and per policy the sessions that
 * succeeded and failed, with each failure's type, MX host and addresses.
 */
record TlsReport(Submitter submitter, LocalDate day, Domain domain, List<TlsResults.Count> counts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    TlsReport {
        counts = List.copyOf(counts);
    }

    /** Unique per submitter, domain and day, and the same each time it is made (so a retry carries the same id). */
    String id() {
        return day + "T00:00:00Z_" + domain.name() + "@" + submitter.domain();
    }

    long start() {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    long end() {
        return start() + 86_399;
    }

    // RFC 8460 5.1: sender "!" policy-domain "!" begin-timestamp "!" end-timestamp "." extension
    String fileName() {
        return submitter.domain() + "!" + domain.name() + "!" + start() + "!" + end() + ".json.gz";
    }

    byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("organization-name", submitter.organization());
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", day + "T00:00:00Z");
        range.put("end-datetime", day + "T23:59:59Z");
        if (!submitter.contact().isEmpty()) {
            root.put("contact-info", submitter.contact());
        }
        root.put("report-id", id());
        ArrayNode policies = root.putArray("policies");
        byPolicy().forEach((policy, counts) -> policies.add(policy(policy, counts)));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report as RFC 8460 5 sends it: gzip-compressed JSON. */
    byte[] gzipped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Map<AppliedTlsPolicy, List<TlsResults.Count>> byPolicy() {
        Map<AppliedTlsPolicy, List<TlsResults.Count>> out = new LinkedHashMap<>();
        for (TlsResults.Count c : counts) {
            out.computeIfAbsent(c.policy(), p -> new java.util.ArrayList<>()).add(c);
        }
        return out;
    }

    private ObjectNode policy(AppliedTlsPolicy policy, List<TlsResults.Count> counts) {
        ObjectNode entry = JSON.createObjectNode();
        ObjectNode p = entry.putObject("policy");
        p.put("policy-type", policy.type().label());
        if (!policy.strings().isEmpty()) {
            policy.strings().forEach(p.putArray("policy-string")::add);
        }
        p.put("policy-domain", domain.name());
        if (!policy.mxHosts().isEmpty()) {
            policy.mxHosts().forEach(p.putArray("mx-host")::add);
        }
        ObjectNode summary = entry.putObject("summary");
        summary.put("total-successful-session-count", counts.stream().filter(c -> !c.result().failed())
                .mapToLong(TlsResults.Count::sessions).sum());
        summary.put("total-failure-session-count", counts.stream().filter(c -> c.result().failed())
                .mapToLong(TlsResults.Count::sessions).sum());
        ArrayNode details = entry.putArray("failure-details");
        counts.stream().filter(c -> c.result().failed()).forEach(c -> {
            ObjectNode d = details.addObject();
            d.put("result-type", c.result().label());
            d.put("sending-mta-ip", c.sendingIp());
            d.put("receiving-mx-hostname", c.mxHost());
            d.put("receiving-ip", c.receivingIp());
            d.put("failed-session-count", c.sessions());
        });
        return entry;
    }
}
