package dev.petrel.store;

import dev.petrel.mail.dmarc.AggregateRow;
import dev.petrel.mail.dmarc.DmarcAggregates;
import dev.petrel.mail.dmarc.DmarcVerdict;
import dev.petrel.mail.dmarc.PublishedPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code dmarc_policies}, {@code dmarc_rows} and {@code dmarc_reports_sent} tables: a message's verdict adds
 * one to its row (an upsert), so a day of mail is as many rows as it had distinct sources and outcomes.
 */
final class SqlDmarcAggregates implements DmarcAggregates {

    private final Database db;

    SqlDmarcAggregates(Database db) {
        this.db = db;
    }

    @Override
    public void record(DmarcVerdict v) {
        String day = LocalDate.ofInstant(v.at(), ZoneOffset.UTC).toString();
        PublishedPolicy p = v.policy();
        // a count lost to a power cut matters less than an fsync on every inbound message
        db.lazily(c -> {
            Database.update(c, "INSERT INTO dmarc_policies (day, domain, adkim, aspf, p, sp, pct, fo, rua)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, domain) DO UPDATE SET adkim = excluded.adkim,"
                    + " aspf = excluded.aspf, p = excluded.p, sp = excluded.sp, pct = excluded.pct, fo = excluded.fo,"
                    + " rua = excluded.rua", day, p.domain(), p.adkim(), p.aspf(), p.p(), p.sp(), p.pct(), p.fo(),
                    String.join(",", p.rua()));
            Database.update(c, "INSERT INTO dmarc_rows (day, domain, source_ip, disposition, dkim, spf, reason,"
                    + " header_from, envelope_from, dkim_results, spf_domain, spf_scope, spf_result, count)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (day, domain, source_ip, disposition,"
                    + " dkim, spf, reason, header_from, envelope_from, dkim_results, spf_domain, spf_scope, spf_result)"
                    + " DO UPDATE SET count = dmarc_rows.count + 1", day, p.domain(), v.sourceIp(), v.disposition(),
                    v.dkim(), v.spf(), v.reason(), v.headerFrom(), v.envelopeFrom(), dkimText(v.dkimResults()),
                    v.spfResult().domain(), v.spfResult().scope(), v.spfResult().result());
            return null;
        });
    }

    @Override
    public List<PublishedPolicy> policies(LocalDate day) {
        return db.query("SELECT domain, adkim, aspf, p, sp, pct, fo, rua FROM dmarc_policies WHERE day = ?"
                + " ORDER BY domain", row -> new PublishedPolicy(row.getString("domain"), row.getString("adkim"),
                        row.getString("aspf"), row.getString("p"), row.getString("sp"), row.getInt("pct"),
                        row.getString("fo"), list(row.getString("rua"))), day.toString());
    }

    @Override
    public List<AggregateRow> rows(LocalDate day, String domain) {
        return db.query("SELECT source_ip, count, disposition, dkim, spf, reason, header_from, envelope_from,"
                + " dkim_results, spf_domain, spf_scope, spf_result FROM dmarc_rows WHERE day = ? AND domain = ?"
                + " ORDER BY source_ip, header_from, disposition, dkim, spf, envelope_from, dkim_results, reason",
                row -> new AggregateRow(row.getString("source_ip"), row.getLong("count"), row.getString("disposition"),
                        row.getString("dkim"), row.getString("spf"), row.getString("reason"),
                        row.getString("header_from"), row.getString("envelope_from"),
                        dkimResults(row.getString("dkim_results")), new DmarcVerdict.SpfAuth(
                                row.getString("spf_domain"), row.getString("spf_scope"), row.getString("spf_result"))),
                day.toString(), domain);
    }

    @Override
    public boolean claim(LocalDate day, String domain, String destination, String reportId, Instant at) {
        return db.update("INSERT INTO dmarc_reports_sent (day, domain, destination, report_id, sent_ms)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, domain, destination) DO NOTHING", day.toString(), domain,
                destination, reportId, at.toEpochMilli()) == 1;
    }

    @Override
    public void release(LocalDate day, String domain, String destination) {
        db.update("DELETE FROM dmarc_reports_sent WHERE day = ? AND domain = ? AND destination = ?", day.toString(),
                domain, destination);
    }

    @Override
    public void forget(LocalDate before) {
        db.transaction(c -> {
            for (String table : List.of("dmarc_rows", "dmarc_policies", "dmarc_reports_sent")) {
                Database.update(c, "DELETE FROM " + table + " WHERE day < ?", before.toString());
            }
            return null;
        });
    }

    // domain/selector/result, comma-separated: neither a domain nor a selector holds a slash or a comma
    private static String dkimText(List<DmarcVerdict.DkimAuth> results) {
        return String.join(",", results.stream().map(d -> d.domain() + "/" + d.selector() + "/" + d.result()).toList());
    }

    private static List<DmarcVerdict.DkimAuth> dkimResults(String text) {
        List<DmarcVerdict.DkimAuth> out = new ArrayList<>();
        for (String one : list(text)) {
            String[] parts = one.split("/", 3);
            out.add(new DmarcVerdict.DkimAuth(parts[0], parts[1], parts[2]));
        }
        return out;
    }

    private static List<String> list(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }
}
