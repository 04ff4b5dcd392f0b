package dev.petrel.store;

import dev.petrel.mail.TenantId;
import dev.petrel.webhook.Delivery;
import dev.petrel.webhook.Endpoint;
import dev.petrel.webhook.WebhookStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook endpoints in {@code webhook_endpoints} and the deliveries owed to them in {@code webhook_deliveries}
 * (V3__webhooks.sql). The signing secret is stored as it is: signing needs the key itself (see the migration).
 * Deliveries are written, claimed and acknowledged in batches, one transaction each, so that a busy feed costs a
 * few statements per batch rather than per event; those commits are lazy, and {@link #durable} puts them on disk
 * about once a second, before the dispatcher saves its cursor ({@code webhook_feed}, V4__webhook_feed.sql).
 */
final class SqlWebhooks implements WebhookStore {

    private static final String COLUMNS = "id, tenant, url, event_types, secret, enabled, disabled_reason, created_at,"
            + " consecutive_failures, failing_since, last_error, dropped";
    private static final int ERROR_LENGTH = 500;

    private final Database db;

    SqlWebhooks(Database db) {
        this.db = db;
    }

    @Override
    public void add(Endpoint e) {
        db.update("INSERT INTO webhook_endpoints (id, tenant, url, event_types, secret, enabled, disabled_reason,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e.id(), e.tenant(), e.url().toString(),
                String.join(",", e.events()), e.secret(), e.enabled(), e.disabledReason(), e.created().toEpochMilli());
    }

    @Override
    public List<Endpoint> endpoints() {
        return db.query("SELECT " + COLUMNS + " FROM webhook_endpoints ORDER BY created_at, id", SqlWebhooks::endpoint);
    }

    @Override
    public List<Endpoint> endpoints(TenantId tenant) {
        return db.query("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant = ? ORDER BY created_at, id",
                SqlWebhooks::endpoint, tenant.name());
    }

    @Override
    public Optional<Endpoint> endpoint(TenantId tenant, String id) {
        return db.queryOne("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant = ? AND id = ?",
                SqlWebhooks::endpoint, tenant.name(), id);
    }

    @Override
    public Optional<Endpoint> endpoint(String id) {
        return db.queryOne("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ?", SqlWebhooks::endpoint, id);
    }

    private static Endpoint endpoint(ResultSet r) throws SQLException {
        String types = r.getString(4);
        Set<String> events = types.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(types.split(",")));
        long failingSince = r.getLong(10);
        Instant since = r.wasNull() ? null : Instant.ofEpochMilli(failingSince);
        return new Endpoint(r.getString(1), r.getString(2), URI.create(r.getString(3)), events, r.getString(5),
                r.getBoolean(6), r.getString(7), Instant.ofEpochMilli(r.getLong(8)), r.getInt(9), since,
                r.getString(11), r.getLong(12));
    }

    @Override
    public boolean remove(TenantId tenant, String id) {
        return db.transaction(c -> {
            Database.update(c, "DELETE FROM webhook_deliveries WHERE endpoint_id IN"
                    + " (SELECT id FROM webhook_endpoints WHERE tenant = ? AND id = ?)", tenant.name(), id);
            return Database.update(c, "DELETE FROM webhook_endpoints WHERE tenant = ? AND id = ?", tenant.name(),
                    id) == 1;
        });
    }

    @Override
    public void disable(String id, String reason) {
        db.update("UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ? WHERE id = ?", false, reason, id);
    }

    @Override
    public void succeeded(String id) {
        db.update("UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ?", id);
    }

    @Override
    public int failed(String id, Instant at, String error) {
        return db.transaction(c -> {
            Database.update(c, "UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,"
                    + " failing_since = COALESCE(failing_since, ?), last_error = ? WHERE id = ?",
                    at.toEpochMilli(), clip(error), id);
            List<Integer> n = Database.query(c, "SELECT consecutive_failures FROM webhook_endpoints WHERE id = ?",
                    r -> r.getInt(1), id);
            return n.isEmpty() ? 0 : n.getFirst();
        });
    }

    @Override
    public void owe(List<Delivery> handed, List<Delivery> waiting) {
        if (handed.isEmpty() && waiting.isEmpty()) {
            return;
        }
        db.lazily(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook_deliveries (endpoint_id, event_id, body,"
                    + " created_at, attempts, next_attempt, in_flight) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (endpoint_id, event_id) DO NOTHING")) {
                add(s, handed, true);
                add(s, waiting, false);
                s.executeBatch();
            }
            return null;
        });
    }

    private static void add(PreparedStatement s, List<Delivery> deliveries, boolean inFlight) throws SQLException {
        for (Delivery d : deliveries) {
            s.setString(1, d.endpointId());
            s.setLong(2, d.eventId());
            s.setString(3, d.body());
            s.setLong(4, d.created().toEpochMilli());
            s.setInt(5, d.attempts());
            s.setLong(6, d.nextAttempt().toEpochMilli());
            s.setBoolean(7, inFlight);
            s.addBatch();
        }
    }

    /**
     * A durable commit that changes the mark, so that it has something to write: its flush carries every earlier
     * commit, lazy ones included, to disk.
     */
    @Override
    public void durable(long cursor) {
        db.update("UPDATE webhook_feed SET durable_cursor = ? WHERE id = 1 AND durable_cursor < ?", cursor, cursor);
    }

    @Override
    public List<Delivery> claim(String endpointId, Instant now, int max) {
        if (max <= 0) {
            return List.of();
        }
        // read first, outside a transaction: on SQLite a transaction takes the write lock, which an empty look need not
        List<Delivery> due = db.query("SELECT endpoint_id, event_id, body, created_at, attempts, next_attempt"
                + " FROM webhook_deliveries WHERE endpoint_id = ? AND in_flight = ? AND next_attempt <= ?"
                + " ORDER BY next_attempt, event_id LIMIT ?", SqlWebhooks::delivery, endpointId, false,
                now.toEpochMilli(), max);
        if (!due.isEmpty()) {
            db.lazily(c -> {
                batch(c, "UPDATE webhook_deliveries SET in_flight = TRUE WHERE endpoint_id = ? AND event_id = ?",
                        due.stream().map(Delivery::key).toList());
                return null;
            });
        }
        return due;
    }

    private static Delivery delivery(ResultSet r) throws SQLException {
        return new Delivery(r.getString(1), r.getLong(2), r.getString(3), Instant.ofEpochMilli(r.getLong(4)),
                r.getInt(5), Instant.ofEpochMilli(r.getLong(6)));
    }

    private static void batch(Connection c, String sql, List<Delivery.Key> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (Delivery.Key k : keys) {
                s.setString(1, k.endpointId());
                s.setLong(2, k.eventId());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public void acknowledge(List<Delivery.Key> done) {
        if (done.isEmpty()) {
            return;
        }
        db.lazily(c -> {
            batch(c, "DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND event_id = ?", done);
            return null;
        });
    }

    @Override
    public void retry(Delivery.Key key, int attempts, Instant next, String error) {
        db.lazily(c -> Database.update(c, "UPDATE webhook_deliveries SET attempts = ?, next_attempt = ?, in_flight = ?,"
                + " last_error = ? WHERE endpoint_id = ? AND event_id = ?", attempts, next.toEpochMilli(), false,
                clip(error), key.endpointId(), key.eventId()));
    }

    @Override
    public void drop(Delivery.Key key) {
        db.transaction(c -> {
            if (Database.update(c, "DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND event_id = ?",
                    key.endpointId(), key.eventId()) == 1) {
                Database.update(c, "UPDATE webhook_endpoints SET dropped = dropped + 1 WHERE id = ?", key.endpointId());
            }
            return null;
        });
    }

    @Override
    public void releaseAll() {
        db.update("UPDATE webhook_deliveries SET in_flight = ? WHERE in_flight = ?", false, true);
    }

    @Override
    public Map<String, Long> pending() {
        Map<String, Long> out = new HashMap<>();
        db.query("SELECT endpoint_id, COUNT(*) FROM webhook_deliveries GROUP BY endpoint_id",
                r -> Map.entry(r.getString(1), r.getLong(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String clip(String error) {
        return error == null || error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH);
    }

}
