-- The send API's tables (issue 16). The same tables as postgresql/V6__send_api.sql. Times are milliseconds since 1970
-- UTC. Rows of a tenant carry its name, and every read names the tenant.

-- Idempotency-Key: the first answer to a key, kept for [http] idempotency_window. A row without a status is a request
-- under way; fingerprint is a SHA-256 of the method, path and body, so the same key with another body is told apart.
CREATE TABLE idempotency_keys (
    tenant          TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    status          INTEGER,
    body            TEXT,
    created_ms      BIGINT NOT NULL,
    PRIMARY KEY (tenant, idempotency_key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ms);

-- The message log behind GET /v1/messages/{id}: messages sent for a tenant leave the queue once done, so a reader of
-- the event feed (cursor "messages") keeps what became of them for [http] message_retention. Written with upserts,
-- so reading an event twice changes nothing.
CREATE TABLE message_log (
    tenant      TEXT NOT NULL,
    id          TEXT NOT NULL,
    sender      TEXT NOT NULL,
    stream      TEXT,
    tag         TEXT,
    metadata    TEXT NOT NULL,
    recipients  INTEGER NOT NULL,
    removed     BOOLEAN NOT NULL DEFAULT FALSE,
    queued_ms   BIGINT NOT NULL,
    PRIMARY KEY (tenant, id)
);

-- the reader finds a message's tenant by its id (events after Queued may not name it)
CREATE UNIQUE INDEX message_log_id ON message_log (id);
CREATE INDEX message_log_queued ON message_log (queued_ms);

-- each recipient's last outcome: deferred, delivered, bounced or expired, with the reply that said so
CREATE TABLE message_log_recipients (
    tenant      TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    state       TEXT NOT NULL,
    status      TEXT,
    reply       TEXT,
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (tenant, message_id, recipient)
);

-- the message log reader's mark in the event feed: what it wrote for every event up to durable_cursor is on disk
-- (its batches are committed lazily; a durable commit of this row carries them to disk before its cursor is saved)
CREATE TABLE message_log_mark (
    id             INTEGER PRIMARY KEY,
    durable_cursor BIGINT NOT NULL
);

INSERT INTO message_log_mark (id, durable_cursor) VALUES (1, -1);
