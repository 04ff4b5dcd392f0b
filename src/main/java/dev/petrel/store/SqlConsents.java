package dev.petrel.store;

import dev.petrel.compliance.Consent;
import dev.petrel.compliance.ConsentUse;
import dev.petrel.compliance.Consents;
import dev.petrel.mail.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The consent ledger in {@code consents} and {@code consent_uses} (V13__consents.sql): rows are only inserted. */
final class SqlConsents implements Consents {

    private static final String COLUMNS = "id, tenant, recipient, kind, at_ms, form, url, ip, wording, note, source,"
            + " recorded_ms";

    private final Database db;

    SqlConsents(Database db) {
        this.db = db;
    }

    @Override
    public Consent add(Consent r, Optional<String> reference) {
        return db.transaction(c -> {
            List<Long> id = Database.query(c, "INSERT INTO consents (tenant, recipient, kind, at_ms, form, url, ip,"
                    + " wording, note, source, recorded_ms, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING RETURNING id", row -> row.getLong(1), r.tenant().name(), r.recipient(),
                    r.kind().text(), r.at().toEpochMilli(), r.evidence().form(), r.evidence().url(),
                    r.evidence().ip(), r.evidence().wording(), r.evidence().note(), r.source(),
                    r.recorded().toEpochMilli(), reference.orElse(null));
            if (!id.isEmpty()) {
                return new Consent(id.getFirst(), r.tenant(), r.recipient(), r.kind(), r.at(), r.evidence(),
                        r.source(), r.recorded());
            }
            // written before from the same reference
            return Database.query(c, "SELECT " + COLUMNS + " FROM consents WHERE tenant = ? AND reference = ?",
                    SqlConsents::record, r.tenant().name(), reference.orElseThrow()).getFirst();
        });
    }

    @Override
    public List<Consent> records(TenantId tenant, String recipient) {
        return db.query("SELECT " + COLUMNS + " FROM consents WHERE tenant = ? AND recipient = ? ORDER BY id",
                SqlConsents::record, tenant.name(), recipient);
    }

    @Override
    public List<Consent> records(TenantId tenant) {
        return db.query("SELECT " + COLUMNS + " FROM consents WHERE tenant = ? ORDER BY id", SqlConsents::record,
                tenant.name());
    }

    @Override
    public void used(TenantId tenant, List<ConsentUse> uses) {
        db.transaction(c -> {
            for (ConsentUse u : uses) {
                Database.update(c, "INSERT INTO consent_uses (tenant, message_id, recipient, stream, consent_id,"
                        + " used_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", tenant.name(), u.messageId(),
                        u.recipient(), u.stream(), u.consentId(), u.at().toEpochMilli());
            }
            return null;
        });
    }

    @Override
    public List<ConsentUse> uses(TenantId tenant, Optional<String> recipient) {
        String sql = "SELECT tenant, message_id, recipient, stream, consent_id, used_ms FROM consent_uses"
                + " WHERE tenant = ?" + (recipient.isPresent() ? " AND recipient = ?" : "")
                + " ORDER BY used_ms, message_id";
        Object[] parameters = recipient.isPresent() ? new Object[] {tenant.name(), recipient.get()}
                : new Object[] {tenant.name()};
        return db.query(sql, row -> new ConsentUse(new TenantId(row.getString(1)), row.getString(2),
                row.getString(3), row.getString(4), row.getLong(5), Instant.ofEpochMilli(row.getLong(6))), parameters);
    }

    private static Consent record(ResultSet row) throws SQLException {
        return new Consent(row.getLong(1), new TenantId(row.getString(2)), row.getString(3),
                Consent.Kind.parse(row.getString(4)), Instant.ofEpochMilli(row.getLong(5)),
                new Consent.Evidence(row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                        row.getString(10)), row.getString(11), Instant.ofEpochMilli(row.getLong(12)));
    }
}
