-- Accounts: domains, users with their credentials, aliases, DKIM keys (private keys included). The same tables
-- as sqlite/V1__accounts.sql, in PostgreSQL's types. Times are UTC (timestamptz).
-- Names found without regard to case (the local part of a user or an alias) have a lower-cased key column
-- beside the spelling as given. Rows keep an id so that lists come out in the order things were added.

CREATE TABLE domains (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    is_local   BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address_key      TEXT NOT NULL UNIQUE,
    address          TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    scram_salt       BYTEA NOT NULL,
    scram_iterations INTEGER NOT NULL,
    scram_stored_key BYTEA NOT NULL,
    scram_server_key BYTEA NOT NULL,
    quota            BIGINT NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE user_sending_domains (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    domain  TEXT NOT NULL,
    PRIMARY KEY (user_id, domain)
);

CREATE TABLE aliases (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alias_key  TEXT NOT NULL UNIQUE,
    local_part TEXT,
    domain     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE alias_targets (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alias_id BIGINT NOT NULL REFERENCES aliases (id) ON DELETE CASCADE,
    target   TEXT NOT NULL,
    UNIQUE (alias_id, target)
);

CREATE TABLE dkim_keys (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    domain      TEXT NOT NULL,
    selector    TEXT NOT NULL,
    key_type    TEXT NOT NULL,
    private_key BYTEA NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (domain, selector)
);
