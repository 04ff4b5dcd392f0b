-- Accounts: domains, users with their credentials, aliases, DKIM keys (private keys included: the database
-- file is mode 0600). The same tables as postgresql/V1__accounts.sql, in SQLite's types. Times are UTC.
-- Names found without regard to case (the local part of a user or an alias) have a lower-cased key column
-- beside the spelling as given. Rows keep an id so that lists come out in the order things were added.

CREATE TABLE domains (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    is_local   BOOLEAN NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE users (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    address_key      TEXT NOT NULL UNIQUE,
    address          TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    scram_salt       BLOB NOT NULL,
    scram_iterations INTEGER NOT NULL,
    scram_stored_key BLOB NOT NULL,
    scram_server_key BLOB NOT NULL,
    quota            BIGINT NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE user_sending_domains (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    domain  TEXT NOT NULL,
    PRIMARY KEY (user_id, domain)
);

CREATE TABLE aliases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    alias_key  TEXT NOT NULL UNIQUE,
    local_part TEXT,
    domain     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE alias_targets (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    alias_id INTEGER NOT NULL REFERENCES aliases (id) ON DELETE CASCADE,
    target   TEXT NOT NULL,
    UNIQUE (alias_id, target)
);

CREATE TABLE dkim_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    domain      TEXT NOT NULL,
    selector    TEXT NOT NULL,
    key_type    TEXT NOT NULL,
    private_key BLOB NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (domain, selector)
);
