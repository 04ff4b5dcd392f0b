/**
 * The durable queue: the {@link dev.petrel.queue.QueueStore} interface and its embedded implementation, an
 * append-only journal whose writes are group-committed so many sessions share one fsync. A message is
 * acknowledged only after it is on disk; start-up recovery cuts off a record torn by a crash. Uses
 * {@code mail} and {@code event}; intake writes here, and delivery (a later stage) reads from here.
 */
package dev.petrel.queue;
