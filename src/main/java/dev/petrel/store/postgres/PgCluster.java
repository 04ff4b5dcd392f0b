package dev.petrel.store.postgres;

import dev.petrel.mail.QueueId;
import dev.petrel.queue.NodeStatus;
import dev.petrel.queue.QueueException;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes that share a queue in PostgreSQL as the command line and the admin API see them: who they are, which
 * mail each delivers, and a flush that reaches them all.
 */
public final class PgCluster implements NodeStatus.Source {

    private final PgQueueStore queue;

    PgCluster(PgQueueStore queue) {
        this.queue = queue;
    }

    /** Every node that joined, for {@code petrel node list}. */
    @Override
    public List<NodeStatus> nodes() throws IOException {
        return queue.read(c -> PgNodes.list(c).stream().map(r -> new NodeStatus(r.name(), r.number(), r.started(),
                r.heartbeat(), r.age(), r.state(), r.owned())).toList());
    }

    /** The name of the node that delivers each message that has one (a live or a gone one), for the listings. */
    public Map<QueueId, String> owners() throws IOException {
        return queue.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT m.id, n.name FROM queue_messages m"
                    + " JOIN queue_nodes n ON n.number = m.owner"); ResultSet r = q.executeQuery()) {
                Map<QueueId, String> out = new HashMap<>();
                while (r.next()) {
                    out.put(new QueueId(r.getString(1)), r.getString(2));
                }
                return out;
            }
        });
    }

    /**
     * Throws, naming them, while live nodes deliver from this database: for a command that needs the queue to itself
     * ({@code petrel store copy}).
     */
    public void requireNoNodes() throws IOException {
        List<String> live = nodes().stream().filter(n -> n.state().equals("alive")).map(NodeStatus::name).toList();
        if (!live.isEmpty()) {
            throw new QueueException("Petrel node(s) " + String.join(", ", live) + " deliver from this PostgreSQL"
                    + " queue; stop them first");
        }
    }

    /**
     * {@code petrel queue flush}: the mail no live node owns is due now (written so: whichever node claims it next
     * finds it due), and every node is woken to make its own mail due now and to claim; how many messages wait.
     */
    public int flush() throws IOException {
        return queue.read(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE queue_messages m SET next_attempt_ns = "
                    + PgNodes.NOW + " WHERE NOT m.held AND m.next_attempt_ns > " + PgNodes.NOW + " AND NOT EXISTS"
                    + " (SELECT 1 FROM queue_nodes n WHERE n.number = m.owner AND NOT n.stopped"
                    + " AND n.heartbeat_ns >= " + PgNodes.NOW + " - n.lease_ns)")) {
                u.executeUpdate();
            }
            PgNodes.notify(c, "flush");
            try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM queue_messages WHERE NOT held");
                 ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }
}
