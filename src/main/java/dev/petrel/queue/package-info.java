/**
 * The durable queue and its event feed: the {@link dev.petrel.queue.QueueStore} interface and its embedded journal,
 * where each change of a message is one record with the events that report it (so the journal is the feed, read by
 * cursor), whose writes are group-committed so many sessions share one fsync; recovery that cuts off a record torn
 * by a crash or a full disk; the {@link dev.petrel.queue.Scheduler} that owns due times, and the retry schedule; the
 * {@link dev.petrel.queue.Door} and {@link dev.petrel.queue.Arrivals} roles that intake plays; what another queue
 * (PostgreSQL, in {@code store.postgres}) borrows: the journal's binary forms ({@code QueueRecords}) and id times;
 * the {@link dev.petrel.queue.ClaimSource} that gives a delivering node its share of a queue nodes share (all of
 * the journal), and what a node looks like ({@link dev.petrel.queue.NodeStatus}).
 * May use {@code mail} and {@code event}. In DESIGN.md's flow, intake writes here (250 only after the fsync) and
 * delivery takes due messages from here and records each recipient's outcome.
 */
package dev.petrel.queue;
