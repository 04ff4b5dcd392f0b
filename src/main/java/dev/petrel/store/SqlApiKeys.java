package dev.petrel.store;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.ApiKeys;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code api_keys} table: ids, tenants, streams and hashes, read from the database each time (nothing cached,
 * so a revocation holds at once). Every statement names the tenant but {@link #find}, which learns it.
 */
final class SqlApiKeys implements ApiKeys {

    private static final String COLUMNS = "SELECT id, tenant, stream, key_hash, created_ms FROM api_keys";

    private final Database db;

    SqlApiKeys(Database db) {
        this.db = db;
    }

    @Override
    public boolean add(ApiKey key, byte[] hash) {
        return db.update("INSERT INTO api_keys (id, tenant, stream, key_hash, created_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", key.id(), key.tenant().name(), key.stream(), hash,
                key.created().toEpochMilli()) == 1;
    }

    @Override
    public List<ApiKey> keys(TenantId tenant) {
        return db.query(COLUMNS + " WHERE tenant = ? ORDER BY created_ms, id", SqlApiKeys::key, tenant.name());
    }

    @Override
    public Optional<ApiKey> key(TenantId tenant, String id) {
        return db.queryOne(COLUMNS + " WHERE tenant = ? AND id = ?", SqlApiKeys::key, tenant.name(), id);
    }

    @Override
    public Optional<Hashed> find(String id) {
        return db.queryOne(COLUMNS + " WHERE id = ?", row -> new Hashed(key(row), row.getBytes("key_hash")), id);
    }

    @Override
    public boolean revoke(TenantId tenant, String id) {
        return db.update("DELETE FROM api_keys WHERE tenant = ? AND id = ?", tenant.name(), id) == 1;
    }

    private static ApiKey key(ResultSet row) throws SQLException {
        return new ApiKey(row.getString("id"), new TenantId(row.getString("tenant")), row.getString("stream"),
                Instant.ofEpochMilli(row.getLong("created_ms")));
    }
}
