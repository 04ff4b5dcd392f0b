package dev.petrel.store;

import dev.petrel.account.AdminTokens;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Admin tokens in the {@code admin_tokens} table: ids, names and hashes, read from the database each time. */
final class SqlAdminTokens implements AdminTokens {

    private final Database db;

    SqlAdminTokens(Database db) {
        this.db = db;
    }

    @Override
    public boolean add(AdminToken token, byte[] hash) {
        return db.update("INSERT INTO admin_tokens (id, name, token_hash, created_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", token.id(), token.name(), hash, token.created().toEpochMilli()) == 1;
    }

    @Override
    public List<AdminToken> tokens() {
        return db.query("SELECT id, name, created_ms FROM admin_tokens ORDER BY created_ms, id", SqlAdminTokens::token);
    }

    @Override
    public Optional<byte[]> hash(String id) {
        return db.queryOne("SELECT token_hash FROM admin_tokens WHERE id = ?", row -> row.getBytes(1), id);
    }

    @Override
    public boolean revoke(String idOrName) {
        return db.update("DELETE FROM admin_tokens WHERE id = ? OR name = ?", idOrName, idOrName) > 0;
    }

    private static AdminToken token(ResultSet row) throws SQLException {
        return new AdminToken(row.getString("id"), row.getString("name"),
                Instant.ofEpochMilli(row.getLong("created_ms")));
    }
}
