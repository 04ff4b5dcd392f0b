package dev.petrel.tenant;

import dev.petrel.mail.TenantId;

/**
 * The token buckets of tenants' and streams' rates, shared by every server on one store (several nodes on
 * PostgreSQL): each bucket fills at its rate up to one second's worth (at least one token), as a server's own bucket
 * does, and servers take tokens from it in chunks, a round trip per chunk rather than per message. The embedded
 * store has none: one server keeps its buckets in memory.
 */
public interface SharedRates {

    /**
     * What a take got.
     *
     * @param granted the tokens taken: 0 when the bucket held too few, else at least the need asked
     * @param remaining the tokens left in the bucket after (negative while a request larger than the bucket is
     *                  owed), from which a refused taker tells how long to wait
     */
    record Grant(long granted, double remaining) {}

    /**
     * Takes tokens of the tenant's bucket ({@code stream} null) or of its stream's, which fills at {@code rate} a
     * second: when the bucket holds {@code need} (or is full, for a need larger than it), at least {@code need}
     * and up to {@code want} of what it holds; else none.
     */
    Grant take(TenantId tenant, String stream, long rate, long need, long want);
}
