package dev.petrel.store;

import dev.petrel.compliance.Suppression;
import dev.petrel.compliance.Suppressions;
import dev.petrel.mail.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The {@code suppressions} table; every statement names the tenant. The entry of every stream has the stream
 * {@code ''} (a stream name is never empty), so that one key holds each entry on both engines, where NULLs in a
 * key would not be equal.
 */
final class SqlSuppressions implements Suppressions {

    private static final String COLUMNS = "SELECT tenant, address, stream, reason, created_ms, source_event"
            + " FROM suppressions";
    private static final String EVERY_STREAM = "";
    // the most addresses in one IN list: well within both engines' limits on parameters
    private static final int CHUNK = 500;

    private final Database db;

    SqlSuppressions(Database db) {
        this.db = db;
    }

    @Override
    public Suppression add(Suppression s) {
        String stream = column(s.stream());
        return db.connected(c -> {
            Database.update(c, "INSERT INTO suppressions (tenant, address, stream, reason, created_ms, source_event)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, address, stream) DO UPDATE"
                    + " SET reason = excluded.reason, created_ms = excluded.created_ms,"
                    + " source_event = excluded.source_event"
                    + " WHERE " + rank("excluded.reason") + " > " + rank("suppressions.reason"),
                    s.tenant().name(), s.address(), stream, s.reason().code(), s.created().toEpochMilli(),
                    s.sourceEvent());
            return Database.query(c, COLUMNS + " WHERE tenant = ? AND address = ? AND stream = ?",
                    SqlSuppressions::suppression, s.tenant().name(), s.address(), stream).getFirst();
        });
    }

    // a reason's strength, as Suppression.Reason#rank gives it
    private static String rank(String column) {
        StringBuilder out = new StringBuilder("CASE " + column);
        for (Suppression.Reason r : Suppression.Reason.values()) {
            out.append(" WHEN '").append(r.code()).append("' THEN ").append(r.rank());
        }
        return out.append(" END").toString();
    }

    @Override
    public List<Suppression> entries(TenantId tenant, String address) {
        return db.query(COLUMNS + " WHERE tenant = ? AND address = ? ORDER BY stream", SqlSuppressions::suppression,
                tenant.name(), address);
    }

    @Override
    public List<Suppression> holding(TenantId tenant, Optional<String> stream, Collection<String> addresses) {
        List<String> all = new ArrayList<>(addresses);
        List<Suppression> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<Object> parameters = new ArrayList<>(List.of(tenant.name(), EVERY_STREAM,
                    stream.orElse(EVERY_STREAM)));
            parameters.addAll(chunk);
            out.addAll(db.query(COLUMNS + " WHERE tenant = ? AND stream IN (?, ?) AND address IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") ORDER BY address, stream",
                    SqlSuppressions::suppression, parameters.toArray()));
        }
        return out;
    }

    @Override
    public boolean remove(TenantId tenant, Optional<String> stream, String address) {
        return db.update("DELETE FROM suppressions WHERE tenant = ? AND address = ? AND stream = ?", tenant.name(),
                address, stream.orElse(EVERY_STREAM)) == 1;
    }

    @Override
    public List<Suppression> page(TenantId tenant, Optional<String> stream, Optional<After> after, int limit) {
        StringBuilder sql = new StringBuilder(COLUMNS + " WHERE tenant = ?");
        List<Object> parameters = new ArrayList<>(List.of(tenant.name()));
        stream.ifPresent(s -> {
            sql.append(" AND stream = ?");
            parameters.add(s);
        });
        after.ifPresent(a -> {
            sql.append(" AND (address > ? OR (address = ? AND stream > ?))");
            parameters.addAll(List.of(a.address(), a.address(), column(a.stream())));
        });
        sql.append(" ORDER BY address, stream LIMIT ?");
        parameters.add(limit);
        return db.query(sql.toString(), SqlSuppressions::suppression, parameters.toArray());
    }

    private static String column(String stream) {
        return stream == null ? EVERY_STREAM : stream;
    }

    private static Suppression suppression(ResultSet row) throws SQLException {
        String stream = row.getString("stream");
        return new Suppression(new TenantId(row.getString("tenant")), stream.isEmpty() ? null : stream,
                row.getString("address"), Suppression.Reason.parse(row.getString("reason")),
                Instant.ofEpochMilli(row.getLong("created_ms")), row.getString("source_event"));
    }
}
