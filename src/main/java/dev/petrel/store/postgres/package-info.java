/**
 * The queue on PostgreSQL, for a {@code [store] url} on PostgreSQL: {@link dev.petrel.store.postgres.PgQueueStore}
 * keeps messages, recipients, the event feed and its cursors in the tables of {@code V17__queue.sql}, and
 * {@code PgCommitter} groups concurrent changes into one synchronous commit, as the journal groups fsyncs. Several
 * servers share it as nodes ({@code V18__queue_nodes.sql}): {@code PgClaims} joins, beats the heartbeat and claims
 * the mail a node delivers, {@link dev.petrel.store.postgres.PgCluster} shows the nodes. May use what {@code store}
 * may use, and {@code store} itself (which brings the schema up to date); only {@code cli} wires it in, in place of
 * the journal. In DESIGN.md's flow it is the queue: intake writes here, delivery reads from here.
 */
package dev.petrel.store.postgres;
