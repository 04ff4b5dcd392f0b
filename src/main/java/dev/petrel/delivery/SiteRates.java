package dev.petrel.delivery;

/**
 * The message rates of destination sites ({@code [delivery] site_message_rate}) shared by every server on one store
 * (several nodes on PostgreSQL): a token bucket per site that fills at the rate up to one second's worth, from
 * which servers take chunks, a round trip per chunk rather than per message. A server alone spaces its messages
 * itself (see {@link SiteThrottle#reserve}).
 */
public interface SiteRates {

    /**
     * What a take got.
     *
     * @param granted the tokens taken: 0 when the bucket held too few, else at least the need asked
     * @param remaining the tokens left in the bucket after, from which a refused taker tells how long to wait
     */
    record Grant(long granted, double remaining) {}

    /**
     * Takes tokens of the lane's bucket, which fills at {@code rate} a second: when it holds {@code need}, at
     * least that and up to {@code want} of what it holds; else none.
     */
    Grant take(Lane lane, long rate, long need, long want);
}
