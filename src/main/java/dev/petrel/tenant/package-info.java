/**
 * Tenants (the businesses that send through Petrel), their streams (transactional or broadcast, each with its own
 * egress and {@link dev.petrel.tenant.Limits}) and their API keys (random, shown once, stored hashed), behind role
 * interfaces ({@link dev.petrel.tenant.Tenants}, {@link dev.petrel.tenant.Streams}, {@link dev.petrel.tenant.ApiKeys},
 * {@link dev.petrel.tenant.SendCounts}, the daily counts quotas are held to, {@link dev.petrel.tenant.SharedRates},
 * the rate buckets several nodes on one store share, and the send API's
 * {@link dev.petrel.tenant.IdempotencyKeys}) that
 * {@code store} implements in SQL, and {@link dev.petrel.tenant.Tenancy}, the operations the command line and the
 * APIs share. May use {@code mail} and {@code account}. Policy asks it which tenant and stream a key sends on.
 */
package dev.petrel.tenant;
