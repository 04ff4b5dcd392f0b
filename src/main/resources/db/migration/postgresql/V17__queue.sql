-- The queue on PostgreSQL (issue 19): what the embedded journal under data_dir/queue keeps, as rows, for a
-- [store] url on PostgreSQL. Instants are nanoseconds since 1970 UTC (_ns), exact as the journal keeps them
-- (to_timestamp(x / 1e9) shows one). A message's description (id, exact arrival, envelope, send context) and each
-- event are kept in the journal's binary form (queue.QueueRecords), beside the columns a person or a query reads.

-- One row per queued message; its content (trace headers, then the message as received) stored once.
CREATE TABLE queue_messages (
    id              TEXT PRIMARY KEY,
    arrival_ns      BIGINT NOT NULL,
    sender          TEXT NOT NULL,
    tenant          TEXT,
    stream          TEXT,
    held            BOOLEAN NOT NULL,
    next_attempt_ns BIGINT NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      TEXT,
    delay_noticed   BOOLEAN NOT NULL,
    size            BIGINT NOT NULL,
    description     BYTEA NOT NULL,
    content         BYTEA NOT NULL
);

CREATE INDEX queue_messages_order ON queue_messages (arrival_ns, id);

-- Each recipient of a message, by its index in the envelope; done once delivered, or failed and reported.
CREATE TABLE queue_recipients (
    message_id      TEXT NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
    recipient_index INTEGER NOT NULL,
    address         TEXT NOT NULL,
    done            BOOLEAN NOT NULL,
    PRIMARY KEY (message_id, recipient_index)
);

-- The event feed: numbered in the order their transactions commit (writers take an advisory lock before they
-- number), so a reader that reads after its cursor never skips one that commits later.
CREATE TABLE queue_events (
    id       BIGSERIAL PRIMARY KEY,
    type     TEXT NOT NULL,
    queue_id TEXT,
    tenant   TEXT,
    at_ms    BIGINT NOT NULL,
    body     BYTEA NOT NULL
);

-- Each feed reader's cursor: it has handled every event up to this one.
CREATE TABLE queue_cursors (
    reader TEXT PRIMARY KEY,
    cursor BIGINT NOT NULL
);

-- Each process that opens the queue takes a number here: the tail of its ids, so ids made on different nodes differ.
CREATE SEQUENCE queue_node_numbers;
