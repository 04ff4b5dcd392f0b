-- Send limits (issue 16): a tenant's messages a second and a day, as streams have had since V4 (0: no limit), and
-- the count of messages each tenant was let send on each UTC day, in all (stream '') and per stream, which the
-- daily quota counts against. A server adds what it admitted about once a second, so a restart keeps the count;
-- several servers add to the same row. day is the number of days since 1970-01-01 (UTC).
ALTER TABLE tenants ADD COLUMN messages_per_second BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN messages_per_day BIGINT NOT NULL DEFAULT 0;

-- No foreign key to tenants: what a server admitted is added after the fact, also for a tenant removed meanwhile;
-- removing a tenant removes its counts.
CREATE TABLE send_counts (
    tenant   TEXT NOT NULL,
    stream   TEXT NOT NULL,
    day      BIGINT NOT NULL,
    messages BIGINT NOT NULL,
    PRIMARY KEY (tenant, stream, day)
);
