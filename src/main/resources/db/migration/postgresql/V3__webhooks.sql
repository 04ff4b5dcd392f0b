-- Webhooks: the endpoints events are POSTed to and the deliveries not yet acknowledged. The same tables as
-- sqlite/V3__webhooks.sql, in PostgreSQL's types. Times are UTC milliseconds since the epoch.
-- The signing secret is kept as it is (whsec_...): the dispatcher needs the key itself to sign, so a hash would not
-- do, and a seal would need a key kept beside this file; the file is mode 0600, as for the DKIM private keys.

CREATE TABLE webhook_endpoints (
    id                   TEXT PRIMARY KEY,
    tenant               TEXT NOT NULL,
    url                  TEXT NOT NULL,
    event_types          TEXT NOT NULL,
    secret               TEXT NOT NULL,
    enabled              BOOLEAN NOT NULL,
    disabled_reason      TEXT,
    created_at           BIGINT NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since        BIGINT,
    last_error           TEXT,
    dropped              BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant);

-- one row per (endpoint, event) until a 2xx acknowledges it or three days pass; written before the dispatcher's
-- cursor moves past the event, so a crash loses none
CREATE TABLE webhook_deliveries (
    endpoint_id   TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id      BIGINT NOT NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  BIGINT NOT NULL,
    in_flight     BOOLEAN NOT NULL DEFAULT FALSE,
    last_error    TEXT,
    PRIMARY KEY (endpoint_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, in_flight, next_attempt);
