package dev.petrel.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petrel.event.MailEvent;
import dev.petrel.event.MessageLog;
import dev.petrel.mail.QueueId;
import dev.petrel.mail.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message log in {@code message_log} and {@code message_log_recipients} (V6__send_api.sql). A batch of events is
 * one lazily committed transaction of batched statements; outcomes find their message's tenant in the log (events
 * after Queued may not name it), so those of messages not logged write nothing. Every upsert sets what the event
 * says, so an event read twice, in the feed's order, leaves the rows as they were.
 */
final class SqlMessageLog implements MessageLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final int REPLY_LENGTH = 1000;

    private static final String QUEUED = "INSERT INTO message_log (tenant, id, sender, stream, tag, metadata, recipients,"
            + " queued_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    // the tenant the event names, or (when it names none) the one the log has for the message
    private static final String OUTCOME = "INSERT INTO message_log_recipients (tenant, message_id, recipient, state,"
            + " status, reply, updated_ms) SELECT tenant, id, ?, ?, ?, ?, ? FROM message_log"
            + " WHERE id = ? AND tenant = COALESCE(CAST(? AS TEXT), tenant)"
            + " ON CONFLICT (tenant, message_id, recipient) DO UPDATE SET state = excluded.state,"
            + " status = excluded.status, reply = excluded.reply, updated_ms = excluded.updated_ms";
    private static final String REMOVED = "UPDATE message_log SET removed = TRUE"
            + " WHERE id = ? AND tenant = COALESCE(CAST(? AS TEXT), tenant)";

    private final Database db;

    SqlMessageLog(Database db) {
        this.db = db;
    }

    @Override
    public void record(List<MailEvent> events) {
        db.lazily(c -> {
            try (PreparedStatement queued = c.prepareStatement(QUEUED);
                 PreparedStatement outcome = c.prepareStatement(OUTCOME);
                 PreparedStatement removed = c.prepareStatement(REMOVED)) {
                for (MailEvent e : events) {
                    add(e, queued, outcome, removed);
                }
                // in the feed's order: a message's row before its recipients'
                queued.executeBatch();
                outcome.executeBatch();
                removed.executeBatch();
            }
            return null;
        });
    }

    private static void add(MailEvent event, PreparedStatement queued, PreparedStatement outcome,
                            PreparedStatement removed) throws SQLException {
        switch (event) {
            case MailEvent.Queued q when q.context().tenant() != null -> {
                bind(queued, q.context().tenant(), q.id().value(), q.from(), q.context().stream(), q.context().tag(),
                        json(q.context().metadata()), q.recipients(), q.time().toEpochMilli());
                queued.addBatch();
            }
            case MailEvent.Outcome o -> {
                bind(outcome, o.to(), state(o), o.dsn(), clip(o.reply()), o.time().toEpochMilli(), o.id().value(),
                        o.context().tenant());
                outcome.addBatch();
            }
            case MailEvent.Expired x -> {
                bind(outcome, x.to(), "expired", x.dsn(), null, x.time().toEpochMilli(), x.id().value(),
                        x.context().tenant());
                outcome.addBatch();
            }
            case MailEvent.Removed r -> {
                bind(removed, r.id().value(), r.context().tenant());
                removed.addBatch();
            }
            default -> {
                // nothing of a logged message
            }
        }
    }

    private static String state(MailEvent.Outcome o) {
        return switch (o) {
            case MailEvent.Delivered d -> "delivered";
            case MailEvent.Deferred d -> "deferred";
            case MailEvent.Bounced b -> "bounced";
        };
    }

    private static void bind(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                s.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                s.setObject(i + 1, values[i]);
            }
        }
    }

    @Override
    public void durable(long cursor) {
        db.update("UPDATE message_log_mark SET durable_cursor = ? WHERE id = 1", cursor);
    }

    @Override
    public Optional<Message> message(TenantId tenant, QueueId id) {
        return db.connected(c -> {
            List<Message> found = Database.query(c, "SELECT sender, stream, tag, metadata, recipients, removed,"
                    + " queued_ms FROM message_log WHERE tenant = ? AND id = ?", r -> message(r, tenant, id, c),
                    tenant.name(), id.value());
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        });
    }

    private static Message message(ResultSet r, TenantId tenant, QueueId id, Connection c) throws SQLException {
        List<RecipientState> states = Database.query(c, "SELECT recipient, state, status, reply, updated_ms"
                + " FROM message_log_recipients WHERE tenant = ? AND message_id = ? ORDER BY updated_ms, recipient",
                s -> new RecipientState(s.getString(1), s.getString(2), s.getString(3), s.getString(4),
                        Instant.ofEpochMilli(s.getLong(5))), tenant.name(), id.value());
        return new Message(id, tenant, r.getString(1), r.getString(2), r.getString(3), map(r.getString(4)),
                r.getInt(5), r.getBoolean(6), Instant.ofEpochMilli(r.getLong(7)), states);
    }

    @Override
    public int forget(Instant before) {
        // upkeep of every tenant's rows alike: the one statement not limited to a tenant
        return db.transaction(c -> {
            Database.update(c, "DELETE FROM message_log_recipients WHERE message_id IN"
                    + " (SELECT id FROM message_log WHERE queued_ms < ?)", before.toEpochMilli());
            return Database.update(c, "DELETE FROM message_log WHERE queued_ms < ?", before.toEpochMilli());
        });
    }

    private static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("message_log: metadata that is not JSON: " + e.getMessage(), e);
        }
    }

    private static String clip(String reply) {
        return reply == null || reply.length() <= REPLY_LENGTH ? reply : reply.substring(0, REPLY_LENGTH);
    }
}
