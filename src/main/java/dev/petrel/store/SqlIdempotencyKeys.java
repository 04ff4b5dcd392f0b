package dev.petrel.store;

import dev.petrel.mail.TenantId;
import dev.petrel.tenant.IdempotencyKeys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Idempotency keys in {@code idempotency_keys} (V6__send_api.sql). A claim is one transaction: stale rows of the key
 * go, then an insert that does nothing when the key is held, then a read of the holder; the primary key makes two
 * claims of one key exclude each other on both engines.
 */
final class SqlIdempotencyKeys implements IdempotencyKeys {

    private final Database db;

    SqlIdempotencyKeys(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Claim> claim(TenantId tenant, String key, String fingerprint, Instant now, Instant staleBefore,
                                 Instant abandonedBefore) {
        return db.transaction(c -> {
            Database.update(c, "DELETE FROM idempotency_keys WHERE tenant = ? AND idempotency_key = ?"
                    + " AND (created_ms < ? OR (status IS NULL AND created_ms < ?))", tenant.name(), key,
                    staleBefore.toEpochMilli(), abandonedBefore.toEpochMilli());
            int claimed = Database.update(c, "INSERT INTO idempotency_keys (tenant, idempotency_key, fingerprint,"
                    + " created_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", tenant.name(), key, fingerprint,
                    now.toEpochMilli());
            if (claimed == 1) {
                return Optional.<Claim>empty();
            }
            List<Claim> held = Database.query(c, "SELECT fingerprint, status, body, created_ms FROM idempotency_keys"
                    + " WHERE tenant = ? AND idempotency_key = ?", r -> new Claim(r.getString(1), r.getInt(2),
                    r.getString(3), Instant.ofEpochMilli(r.getLong(4))), tenant.name(), key);
            return held.isEmpty() ? Optional.<Claim>empty() : Optional.of(held.getFirst());
        });
    }

    @Override
    public void answer(TenantId tenant, String key, int status, String body) {
        db.update("UPDATE idempotency_keys SET status = ?, body = ? WHERE tenant = ? AND idempotency_key = ?", status,
                body, tenant.name(), key);
    }

    @Override
    public void release(TenantId tenant, String key) {
        db.update("DELETE FROM idempotency_keys WHERE tenant = ? AND idempotency_key = ? AND status IS NULL",
                tenant.name(), key);
    }

    @Override
    public int forget(Instant before) {
        // upkeep of every tenant's rows alike: the one statement not limited to a tenant
        return db.update("DELETE FROM idempotency_keys WHERE created_ms < ?", before.toEpochMilli());
    }
}
