/**
 * Typed events of a message's life (queued, delivered, deferred, bounced, expired, held, released, removed,
 * rejected) and the durable {@link dev.petrel.event.EventFeed} they are read from by cursor; the readers: the
 * delivery log ({@code LogSink}, its lines kept by level and written as key=value or JSON by {@code LogLines}, with
 * Jackson's streaming writer), the metrics' counters ({@code EventMetrics}, with {@code FeedLag} for how far each reader
 * is behind), webhooks, and the {@link dev.petrel.event.MessageLog} of messages sent for tenants (written a batch at
 * a time by {@code MessageLogWriter} through {@code FeedReader.Batches}). The readers with a saved cursor run in one
 * process at a time ({@code SoleConsumer}, while this process holds the reader's {@code ConsumerLocks} lock: every
 * lock on the embedded store, one node's on PostgreSQL). May use only {@code mail} (and Micrometer for the metrics). The queue writes each event with
 * the change it reports; nothing else in the flow of DESIGN.md logs on its own,
 * and nothing drives delivery from it.
 */
package dev.petrel.event;
