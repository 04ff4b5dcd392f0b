package dev.petrel.store;

import dev.petrel.compliance.ReputationCounts;
import dev.petrel.mail.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The {@code reputation_counts} table (every statement names the tenant) and the guard's place in the feed in
 * {@code reputation_progress}, written together in one transaction.
 */
final class SqlReputationCounts implements ReputationCounts {

    private static final String GUARD = "guard";

    private final Database db;

    SqlReputationCounts(Database db) {
        this.db = db;
    }

    @Override
    public List<Step> steps(TenantId tenant, String stream) {
        return db.query("SELECT start_ms, recipients, hard_bounces, complaints FROM reputation_counts"
                + " WHERE tenant = ? AND stream = ? ORDER BY start_ms", row -> new Step(
                        Instant.ofEpochMilli(row.getLong("start_ms")), row.getLong("recipients"),
                        row.getLong("hard_bounces"), row.getLong("complaints")), tenant.name(), stream);
    }

    @Override
    public long counted() {
        return db.queryOne("SELECT last_event FROM reputation_progress WHERE name = ?", row -> row.getLong(1), GUARD)
                .orElse(0L);
    }

    @Override
    public void save(List<Stream> streams, long counted) {
        db.transaction(c -> {
            for (Stream s : streams) {
                replace(c, s);
            }
            Database.update(c, "INSERT INTO reputation_progress (name, last_event) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET last_event = excluded.last_event", GUARD, counted);
            return null;
        });
    }

    // a stream removed since has no row to hold its counts: the INSERT finds none and writes nothing
    private static void replace(Connection c, Stream s) throws SQLException {
        Database.update(c, "DELETE FROM reputation_counts WHERE tenant = ? AND stream = ?", s.tenant().name(),
                s.stream());
        for (Step step : s.steps()) {
            Database.update(c, "INSERT INTO reputation_counts (tenant, stream, start_ms, recipients, hard_bounces,"
                    + " complaints) SELECT tenant, name, ?, ?, ?, ? FROM streams WHERE tenant = ? AND name = ?",
                    step.start().toEpochMilli(), step.recipients(), step.hardBounces(), step.complaints(),
                    s.tenant().name(), s.stream());
        }
    }
}
