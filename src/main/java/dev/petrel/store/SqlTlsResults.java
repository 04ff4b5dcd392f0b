package dev.petrel.store;

import dev.petrel.delivery.AppliedTlsPolicy;
import dev.petrel.delivery.TlsPolicyType;
import dev.petrel.delivery.TlsResult;
import dev.petrel.delivery.TlsResultType;
import dev.petrel.delivery.TlsResults;
import dev.petrel.mail.Domain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code tls_results} table: one row per (UTC day, policy domain, policy, result, MX host, addresses) whose
 * count each session adds to. The policy is keyed by a SHA-256 of its text, which may be long. Server-wide data,
 * not a tenant's.
 */
final class SqlTlsResults implements TlsResults {

    private static final String NEWLINE = "\n";

    private final Database db;

    SqlTlsResults(Database db) {
        this.db = db;
    }

    @Override
    public void record(TlsResult r) {
        boolean failed = r.result().failed();
        String strings = String.join(NEWLINE, r.policy().strings());
        String hosts = String.join(NEWLINE, r.policy().mxHosts());
        // a lost count on a power cut costs a report one session: not worth a flush of its own
        db.lazily(c -> Database.update(c, "INSERT INTO tls_results (day, policy_domain, policy_type, policy_hash,"
                + " policy_strings, mx_hosts, result_type, mx_host, sending_ip, receiving_ip, sessions)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (day, policy_domain, policy_hash, result_type,"
                + " mx_host, sending_ip, receiving_ip) DO UPDATE SET sessions = tls_results.sessions + 1",
                r.at().atZone(ZoneOffset.UTC).toLocalDate().toString(), r.policyDomain().name(),
                r.policy().type().label(), hash(r.policy().type().label() + NEWLINE + strings + NEWLINE + hosts),
                strings, hosts, r.result().label(), failed ? r.mxHost() : "", failed ? r.sendingIp() : "",
                failed ? r.receivingIp() : ""));
    }

    @Override
    public List<Count> day(LocalDate day) {
        return db.query("SELECT policy_domain, policy_type, policy_strings, mx_hosts, result_type, mx_host,"
                + " sending_ip, receiving_ip, sessions FROM tls_results WHERE day = ?"
                + " ORDER BY policy_domain, policy_hash, result_type, mx_host, sending_ip, receiving_ip",
                row -> new Count(Domain.parse(row.getString(1)), new AppliedTlsPolicy(TlsPolicyType.of(row.getString(2)),
                        lines(row.getString(3)), lines(row.getString(4))), TlsResultType.of(row.getString(5)),
                        row.getString(6), row.getString(7), row.getString(8), row.getLong(9)), day.toString());
    }

    @Override
    public void forgetBefore(LocalDate day) {
        db.update("DELETE FROM tls_results WHERE day < ?", day.toString());
    }

    private static List<String> lines(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(NEWLINE, -1));
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
