-- The CASL consent ledger (issue 17). The same tables as postgresql/V13__consents.sql. Times are milliseconds since
-- 1970 UTC; rows of a tenant carry its name and every read names the tenant. Rows are only ever inserted: a
-- correction is a new record, a withdrawal is a record of kind 'withdrawal'.

-- recipient is the address in lower case; at_ms when the consent was given or withdrawn, recorded_ms when written.
-- reference names the event a record came from (an unsubscribe), so a record read twice from the feed is kept once.
CREATE TABLE consents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    form        TEXT NOT NULL,
    url         TEXT NOT NULL,
    ip          TEXT NOT NULL,
    wording     TEXT NOT NULL,
    note        TEXT NOT NULL,
    source      TEXT NOT NULL,
    recorded_ms BIGINT NOT NULL,
    reference   TEXT
);

CREATE INDEX consents_recipient ON consents (tenant, recipient);
CREATE UNIQUE INDEX consents_reference ON consents (tenant, reference);

-- Each broadcast copy queued, with the consent record it relied on (0: none held), for the evidence export.
CREATE TABLE consent_uses (
    tenant     TEXT NOT NULL,
    message_id TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    stream     TEXT NOT NULL,
    consent_id BIGINT NOT NULL,
    used_ms    BIGINT NOT NULL,
    PRIMARY KEY (tenant, message_id, recipient)
);

CREATE INDEX consent_uses_recipient ON consent_uses (tenant, recipient);
