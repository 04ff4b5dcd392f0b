-- Tenants, their streams and API keys (issue 16). Each domain and user belongs to one tenant; those that were there
-- before belong to "default", which always exists. API keys are kept as a public id and a SHA-256 hash of the
-- whole key, never the key. Times are milliseconds since 1970 UTC. The same tables as postgresql/V4__tenants.sql.

CREATE TABLE tenants (
    name           TEXT PRIMARY KEY,
    identification TEXT NOT NULL DEFAULT '',
    created_ms     BIGINT NOT NULL
);

INSERT INTO tenants (name, identification, created_ms)
VALUES ('default', '', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE streams (
    tenant              TEXT NOT NULL REFERENCES tenants (name) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('transactional', 'broadcast')),
    source_address      TEXT,
    ehlo_name           TEXT,
    paused              BOOLEAN NOT NULL DEFAULT FALSE,
    sandbox             BOOLEAN NOT NULL DEFAULT FALSE,
    messages_per_second BIGINT NOT NULL DEFAULT 0,
    messages_per_day    BIGINT NOT NULL DEFAULT 0,
    created_ms          BIGINT NOT NULL,
    PRIMARY KEY (tenant, name)
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    tenant     TEXT NOT NULL REFERENCES tenants (name),
    stream     TEXT,
    key_hash   BLOB NOT NULL,
    created_ms BIGINT NOT NULL,
    FOREIGN KEY (tenant, stream) REFERENCES streams (tenant, name)
);

CREATE INDEX api_keys_tenant ON api_keys (tenant);

-- SQLite cannot add a column with both a REFERENCES clause and a default: the tenancy operations check the name
ALTER TABLE domains ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE users ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
CREATE INDEX domains_tenant ON domains (tenant);
CREATE INDEX users_tenant ON users (tenant);
