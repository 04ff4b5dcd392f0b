-- The queue's nodes (postgresql/V18__queue_nodes.sql) have no SQLite form: the embedded queue is the journal under
-- data_dir/queue, delivered by one server. This file keeps the two engines' migrations numbered alike.
SELECT 1;
