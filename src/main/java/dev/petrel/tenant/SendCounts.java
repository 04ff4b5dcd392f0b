package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.time.LocalDate;
import java.util.List;

/**
 * How many messages each tenant was let send on each day (UTC), in all and on each of its streams: what the daily
 * quotas count against. Written in batches (a server adds what it admitted about once a second), so that a restart
 * keeps the day's count; several servers on one store add to the same rows.
 */
public interface SendCounts {

    /** Messages of a tenant on a day: in all when {@code stream} is null, else on that stream. */
    record Count(String stream, long messages) {}

    /**
     * Adds each count to the tenant's of that day, in one transaction, and returns the totals after (with what
     * other servers added), in the same order.
     */
    List<Count> add(TenantId tenant, LocalDate day, List<Count> added);

    /** The tenant's count of the day: in all when {@code stream} is null, else on that stream; 0 when none. */
    long count(TenantId tenant, String stream, LocalDate day);
}
