-- Limits shared by several nodes on one PostgreSQL (issue 19): the same tables as there, so that both engines have
-- one schema (and a store copy finds the same tables), unused here: an embedded store has one server, which keeps
-- its limits in memory. See the PostgreSQL migration of this version for what each holds.
CREATE TABLE site_slots (
    site       TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    holder     TEXT NOT NULL,
    expires_us BIGINT NOT NULL,
    PRIMARY KEY (site, slot)
);

CREATE INDEX site_slots_holder ON site_slots (holder);

CREATE TABLE tenant_rates (
    tenant      TEXT NOT NULL,
    stream      TEXT NOT NULL,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_us BIGINT NOT NULL,
    PRIMARY KEY (tenant, stream)
);

CREATE TABLE site_rates (
    site        TEXT PRIMARY KEY,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_us BIGINT NOT NULL
);
