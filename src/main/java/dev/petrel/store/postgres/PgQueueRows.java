package dev.petrel.store.postgres;

import dev.petrel.event.EventFeed;
import dev.petrel.event.EventJson;
import dev.petrel.event.MailEvent;
import dev.petrel.mail.QueueId;
import dev.petrel.queue.Change;
import dev.petrel.queue.DeliveryState;
import dev.petrel.queue.QueueRecords;
import dev.petrel.queue.QueuedMessage;
import dev.petrel.queue.StoredMessage;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The queue's SQL (schema in {@code db/migration/postgresql/V17__queue.sql} and {@code V18__queue_nodes.sql}): the statements that write a change
 * of a message with its events, and those that read messages and events back into the queue's values.
 */
final class PgQueueRows {

    private static final String COLUMNS = "m.id, m.held, m.next_attempt_ns, m.attempts, m.last_error, m.delay_noticed,"
            + " m.size, m.description, ARRAY(SELECT r.recipient_index FROM queue_recipients r"
            + " WHERE r.message_id = m.id AND r.done) AS finished";
    static final String LIST = "SELECT " + COLUMNS + " FROM queue_messages m ORDER BY m.arrival_ns, m.id";
    static final String FIND = "SELECT " + COLUMNS + " FROM queue_messages m WHERE m.id = ?";
    static final String READ = "SELECT " + COLUMNS + ", m.content FROM queue_messages m WHERE m.id = ?";
    static final String EVENTS = "SELECT id, body, node FROM queue_events WHERE id > ? ORDER BY id LIMIT ?";

    // the journal keeps at most this much of an error text, and so does this
    private static final int MAX_ERROR = 2000;

    private PgQueueRows() {}

    /** Nanoseconds since 1970, exact from 1677 to 2262; later instants (never, in practice) are clamped. */
    static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static QueuedMessage message(ResultSet row) throws SQLException, IOException {
        Set<Integer> finished = new HashSet<>();
        Array array = row.getArray("finished");
        for (Object index : (Object[]) array.getArray()) {
            finished.add(((Number) index).intValue());
        }
        DeliveryState state = new DeliveryState(finished, instant(row.getLong("next_attempt_ns")),
                row.getInt("attempts"), row.getString("last_error"), row.getBoolean("delay_noticed"));
        return QueueRecords.message(row.getBytes("description"), row.getLong("size"), row.getBoolean("held"), state);
    }

    static StoredMessage stored(ResultSet row) throws SQLException, IOException {
        return new StoredMessage(message(row), row.getBytes("content"));
    }

    /**
     * Writes the steps of a change; false (nothing written) when there is no such message. A removal makes the other
     * steps moot (the recipients go with the message); otherwise the first step that changes the message's row says
     * whether there is one, and a change of recipients alone asks first.
     */
    static boolean steps(PgSession s, QueueId id, List<Change.Step> steps) throws SQLException {
        if (steps.stream().anyMatch(step -> step instanceof Change.Remove)) {
            return update(s, "DELETE FROM queue_messages WHERE id = ?", id) > 0;
        }
        List<Change.Step> ordered = new ArrayList<>(steps);
        ordered.sort(java.util.Comparator.comparing(step -> step instanceof Change.Finish));
        if (ordered.isEmpty() || ordered.getFirst() instanceof Change.Finish) {
            if (!exists(s, id)) {
                return false;
            }
        }
        for (Change.Step step : ordered) {
            if (step(s, id, step) == 0 && !(step instanceof Change.Finish)) {
                return false;
            }
        }
        return true;
    }

    private static boolean exists(PgSession s, QueueId id) throws SQLException {
        PreparedStatement q = s.statement("SELECT 1 FROM queue_messages WHERE id = ? FOR UPDATE");
        q.setString(1, id.value());
        try (ResultSet r = q.executeQuery()) {
            return r.next();
        }
    }

    // the rows it changed
    private static int step(PgSession s, QueueId id, Change.Step step) throws SQLException {
        return switch (step) {
            case Change.Finish f -> finish(s, id, f);
            case Change.Schedule x -> {
                PreparedStatement u = s.statement("UPDATE queue_messages SET next_attempt_ns = ?, attempts = ?,"
                        + " last_error = ? WHERE id = ?");
                u.setLong(1, nanos(x.next()));
                u.setInt(2, x.attempts());
                u.setString(3, x.lastError() == null || x.lastError().length() <= MAX_ERROR ? x.lastError()
                        : x.lastError().substring(0, MAX_ERROR));
                u.setString(4, id.value());
                yield u.executeUpdate();
            }
            case Change.Noticed n -> update(s, "UPDATE queue_messages SET delay_noticed = true WHERE id = ?", id);
            // a held message is nobody's; released, the nodes are woken to claim it
            case Change.Hold h -> update(s, "UPDATE queue_messages SET held = true, owner = NULL WHERE id = ?", id);
            case Change.Release r -> {
                int changed = update(s, "UPDATE queue_messages SET held = false WHERE id = ?", id);
                wake(s, "release");
                yield changed;
            }
            case Change.Remove r -> update(s, "DELETE FROM queue_messages WHERE id = ?", id);
        };
    }

    private static int finish(PgSession s, QueueId id, Change.Finish f) throws SQLException {
        if (f.recipients().isEmpty()) {
            return 0;
        }
        PreparedStatement u = s.statement("UPDATE queue_recipients SET done = true WHERE message_id = ?"
                + " AND recipient_index = ANY (?)");
        u.setString(1, id.value());
        u.setArray(2, s.integers(f.recipients()));
        return u.executeUpdate();
    }

    private static int update(PgSession s, String sql, QueueId id) throws SQLException {
        PreparedStatement u = s.statement(sql);
        u.setString(1, id.value());
        return u.executeUpdate();
    }

    /** Wakes the nodes (on commit) to claim what nobody owns: {@code what} says why. */
    static void wake(PgSession s, String what) throws SQLException {
        PreparedStatement n = s.statement("SELECT pg_notify(?, ?)");
        n.setString(1, PgNodes.CHANNEL);
        n.setString(2, what);
        n.executeQuery().close();
    }

    /** Writes events in order, numbered under the feed's lock, each naming the node that wrote it (null: none). */
    static void events(PgSession s, List<? extends MailEvent> events, String node) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        s.lockFeed();
        PreparedStatement insert = s.statement("INSERT INTO queue_events (type, queue_id, tenant, at_ms, body, node)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        for (MailEvent e : events) {
            insert.setString(1, EventJson.type(e));
            insert.setString(2, e instanceof MailEvent.OfMessage m ? m.id().value() : null);
            insert.setString(3, EventJson.context(e).tenant());
            insert.setLong(4, e.time().toEpochMilli());
            insert.setBytes(5, QueueRecords.events(List.of(e)));
            insert.setString(6, node);
            try (ResultSet r = insert.executeQuery()) {
                r.next();
                s.wroteEvent(r.getLong(1));
            }
        }
    }

    static List<EventFeed.Entry> readEvents(Connection c, long after, int max) throws SQLException, IOException {
        try (PreparedStatement q = c.prepareStatement(EVENTS)) {
            q.setLong(1, after);
            q.setInt(2, max);
            List<EventFeed.Entry> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    for (MailEvent e : QueueRecords.events(r.getBytes(2))) {
                        out.add(new EventFeed.Entry(r.getLong(1), e, r.getString(3)));
                    }
                }
            }
            return out;
        }
    }
}
