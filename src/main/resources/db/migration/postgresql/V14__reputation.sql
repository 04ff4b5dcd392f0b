-- The reputation guard (issue 17): why and when it paused a stream (NULL: running, or paused by an operator), when
-- a stream was last resumed (the guard judges only what came after), and the guard's rolling counts per tenant and
-- stream, one row per step of the window, with the cursor of the last event they count.
ALTER TABLE streams ADD COLUMN pause_reason TEXT;
ALTER TABLE streams ADD COLUMN pause_text TEXT;
ALTER TABLE streams ADD COLUMN paused_ms BIGINT;
ALTER TABLE streams ADD COLUMN resumed_ms BIGINT;

CREATE TABLE reputation_counts (
    tenant TEXT NOT NULL,
    stream TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    recipients BIGINT NOT NULL,
    hard_bounces BIGINT NOT NULL,
    complaints BIGINT NOT NULL,
    PRIMARY KEY (tenant, stream, start_ms),
    FOREIGN KEY (tenant, stream) REFERENCES streams (tenant, name) ON DELETE CASCADE
);

CREATE TABLE reputation_progress (
    name TEXT PRIMARY KEY,
    last_event BIGINT NOT NULL
);
