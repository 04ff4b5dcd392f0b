package dev.petrel.store;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.Limits;
import dev.petrel.tenant.Stream;
import dev.petrel.tenant.Streams;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code streams} table; every statement names the tenant. */
final class SqlStreams implements Streams {

    private static final String COLUMNS = "SELECT tenant, name, kind, source_address, ehlo_name, egress, paused,"
            + " sandbox, messages_per_second, messages_per_day, created_ms, pause_reason, pause_text, paused_ms,"
            + " resumed_ms FROM streams";

    private final Database db;

    SqlStreams(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Stream> stream(TenantId tenant, String name) {
        return db.queryOne(COLUMNS + " WHERE tenant = ? AND name = ?", SqlStreams::stream, tenant.name(), name);
    }

    @Override
    public List<Stream> streams(TenantId tenant) {
        return db.query(COLUMNS + " WHERE tenant = ? ORDER BY name", SqlStreams::stream, tenant.name());
    }

    @Override
    public boolean add(Stream s) {
        return db.update("INSERT INTO streams (tenant, name, kind, source_address, ehlo_name, egress, paused, sandbox,"
                + " messages_per_second, messages_per_day, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", s.tenant().name(), s.name(), s.kind().text(), s.source(), s.ehlo(),
                s.egress(), s.paused(), s.sandbox(), s.perSecond(), s.perDay(), s.created().toEpochMilli()) == 1;
    }

    @Override
    public boolean setPaused(TenantId tenant, String name, boolean paused) {
        return db.update("UPDATE streams SET paused = ?, pause_reason = NULL, pause_text = NULL, paused_ms = NULL"
                + " WHERE tenant = ? AND name = ?", paused, tenant.name(), name) == 1;
    }

    @Override
    public boolean pause(TenantId tenant, String name, Stream.Pause pause) {
        return db.update("UPDATE streams SET paused = ?, pause_reason = ?, pause_text = ?, paused_ms = ?"
                + " WHERE tenant = ? AND name = ? AND paused = ?", true, pause.reason(), pause.text(),
                pause.at().toEpochMilli(), tenant.name(), name, false) == 1;
    }

    @Override
    public boolean resume(TenantId tenant, String name, Instant at) {
        return db.update("UPDATE streams SET paused = ?, pause_reason = NULL, pause_text = NULL, paused_ms = NULL,"
                + " resumed_ms = ? WHERE tenant = ? AND name = ?", false, at.toEpochMilli(), tenant.name(), name) == 1;
    }

    @Override
    public boolean setLimits(TenantId tenant, String name, Limits limits) {
        return db.update("UPDATE streams SET messages_per_second = ?, messages_per_day = ?"
                + " WHERE tenant = ? AND name = ?", limits.perSecond(), limits.perDay(), tenant.name(), name) == 1;
    }

    @Override
    public boolean setSandbox(TenantId tenant, String name, boolean sandbox) {
        return db.update("UPDATE streams SET sandbox = ? WHERE tenant = ? AND name = ?", sandbox, tenant.name(),
                name) == 1;
    }

    private static Stream stream(ResultSet row) throws SQLException {
        return new Stream(new TenantId(row.getString("tenant")), row.getString("name"),
                Stream.Kind.parse(row.getString("kind")), row.getString("source_address"), row.getString("ehlo_name"),
                row.getString("egress"), row.getBoolean("paused"), row.getBoolean("sandbox"), row.getLong("messages_per_second"),
                row.getLong("messages_per_day"), Instant.ofEpochMilli(row.getLong("created_ms")), pause(row),
                instant(row, "resumed_ms"));
    }

    private static Stream.Pause pause(ResultSet row) throws SQLException {
        String reason = row.getString("pause_reason");
        Instant at = instant(row, "paused_ms");
        return reason == null || at == null || !row.getBoolean("paused") ? null
                : new Stream.Pause(reason, row.getString("pause_text"), at);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        long ms = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(ms);
    }
}
