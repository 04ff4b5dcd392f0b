-- The queue on PostgreSQL (postgresql/V17__queue.sql) has no SQLite form: the embedded queue is the journal under
-- data_dir/queue. This file keeps the two engines' migrations numbered alike.
SELECT 1;
