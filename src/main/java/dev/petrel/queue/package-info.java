/**
 * The durable queue: the {@link dev.petrel.queue.QueueStore} interface and its embedded journal, whose writes are
 * group-committed so many sessions share one fsync, recovery that cuts off a record torn by a crash, the
 * {@link dev.petrel.queue.Scheduler} that owns due times, and the retry schedule. May use {@code mail} and
 * {@code event}. In DESIGN.md's flow, intake writes here (250 only after the fsync) and delivery takes due messages
 * from here and records each recipient's outcome.
 */
package dev.petrel.queue;
