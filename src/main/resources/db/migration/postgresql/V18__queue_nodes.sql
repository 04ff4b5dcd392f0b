-- Several nodes share the queue (issue 19). Each serving process joins as a node: its row here, under the number it
-- took from queue_node_numbers (the tail of its queue ids), kept alive by a heartbeat every lease/3. A message is
-- delivered by its owner, the node that enqueued or claimed it, through all its retries; a message whose owner
-- stopped, or whose owner's heartbeat is older than that node's lease, is claimed by another node. Instants are
-- nanoseconds since 1970 UTC on the database's clock, so the nodes' clocks need not agree.
CREATE TABLE queue_nodes (
    number       INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    started_ns   BIGINT NOT NULL,
    heartbeat_ns BIGINT NOT NULL,
    lease_ns     BIGINT NOT NULL,
    stopped      BOOLEAN NOT NULL
);

CREATE INDEX queue_nodes_name ON queue_nodes (name);

-- The node that delivers the message; NULL when none does yet (written by the command line, held, or handed over).
ALTER TABLE queue_messages ADD COLUMN owner INTEGER;

-- The claim's scan: messages not held, by due time; and a node's own messages, for its stop and for `node list`.
CREATE INDEX queue_messages_due ON queue_messages (next_attempt_ns) WHERE NOT held;
CREATE INDEX queue_messages_owner ON queue_messages (owner);

-- The name of the node that wrote the event; NULL for the command line and other processes that do not serve.
ALTER TABLE queue_events ADD COLUMN node TEXT;
