-- Suppression lists (issue 17): addresses a tenant does not send to, on every stream (stream = '') or on one
-- stream. One entry per tenant, address and stream; its reason is manual, hard_bounce, unsubscribe or complaint,
-- and source_event the id of the event it came from (the feed's cursor), null for one added by hand. Addresses are
-- kept in lower case. Times are milliseconds since 1970 UTC. The same table as postgresql/V11__suppressions.sql.

CREATE TABLE suppressions (
    tenant       TEXT NOT NULL REFERENCES tenants (name) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    stream       TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL CHECK (reason IN ('manual', 'hard_bounce', 'unsubscribe', 'complaint')),
    created_ms   BIGINT NOT NULL,
    source_event TEXT,
    PRIMARY KEY (tenant, address, stream)
);
