-- The webhook dispatcher's mark in the event feed: the deliveries owed for every event up to durable_cursor are on
-- disk. Deliveries are written with commits that need not reach the disk at once; about once a second the
-- dispatcher moves this mark with a durable commit, which carries every earlier commit to disk with it (the
-- database's log is flushed in order), and only then saves its cursor in the feed past those events.
CREATE TABLE webhook_feed (
    id             INTEGER PRIMARY KEY,
    durable_cursor BIGINT NOT NULL
);

INSERT INTO webhook_feed (id, durable_cursor) VALUES (1, -1);
