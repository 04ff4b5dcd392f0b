/**
 * SQL implementations of the stores: today the account roles ({@code SqlUsers}, {@code SqlDomains},
 * {@code SqlAliases}, {@code SqlDkimKeys}), the tenant roles ({@code SqlTenants}, {@code SqlStreams},
 * {@code SqlApiKeys}, {@code SqlIdempotencyKeys}, {@code SqlSendCounts}, each statement filtered on the tenant), the
 * compliance roles ({@code SqlSuppressions}, {@code SqlConsents}), webhooks, the message log
 * ({@code SqlMessageLog}), for the daily reports the outbound TLS results ({@code SqlTlsResults}, delivery's
 * {@code TlsResults}), the DMARC verdicts of inbound mail ({@code SqlDmarcAggregates}) and the reports sent
 * ({@code SqlSentReports}); on PostgreSQL, the limits several nodes share ({@code SqlSiteSlots}, the slots of
 * sites' connections; {@code SqlRateBuckets}, the rate buckets of tenants, streams and sites). One schema in versioned Flyway migrations under {@code db/migration/<engine>/}, for SQLite embedded in the data folder
 * ({@code petrel.db}, WAL) and for PostgreSQL shared by several nodes; JDBC with prepared statements only, times in
 * UTC. {@link dev.petrel.store.Stores} opens them from the {@code [store] url} and imports an old
 * {@code accounts.json}. May use {@code mail}, {@code event}, {@code account}, {@code tenant}, {@code compliance},
 * {@code queue}, {@code webhook}, {@code delivery} and {@code report} (it implements their store roles); only {@code cli} wires it in, beside the policy and delivery that read it.
 * A running server reads accounts through {@code CachedAccounts} and suppressions through
 * {@code CachedSuppressions} (what another process changed shows within a second); on SQLite each pooled connection
 * keeps the statements it prepared ({@code StatementCache}).
 */
package dev.petrel.store;
