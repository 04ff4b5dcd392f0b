-- Admin tokens: the public id, the operator's name for it, and a SHA-256 hash of the whole token (never the
-- token itself). Created as milliseconds since 1970 UTC.

CREATE TABLE admin_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    token_hash BLOB NOT NULL,
    created_ms BIGINT NOT NULL
);
