package dev.petrel.compliance;

import dev.petrel.mail.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where suppressions are kept: one entry per tenant, stream (or every stream) and address. Every method takes the
 * tenant and touches only its entries. Implemented in SQL by {@code store.SqlSuppressions}.
 */
public interface Suppressions {

    /** Where a page of a listing starts: after this address and stream (null for the entry of every stream). */
    record After(String address, String stream) {}

    /**
     * Records the suppression, or makes an existing one of the same tenant, stream and address stronger: its reason,
     * time and source event are replaced only by a stronger reason ({@link Suppression.Reason#rank()}), so seeing an
     * event twice changes nothing and a manual entry never hides a complaint.
     *
     * @return the entry as it is now
     */
    Suppression add(Suppression suppression);

    /** Every entry of the address, on every stream and on single streams. */
    List<Suppression> entries(TenantId tenant, String address);

    /** The entries that hold for these addresses on the stream: those of every stream, and the stream's own. */
    List<Suppression> holding(TenantId tenant, Optional<String> stream, Collection<String> addresses);

    /** Removes the entry of the address on the stream (empty: the one of every stream); false when there is none. */
    boolean remove(TenantId tenant, Optional<String> stream, String address);

    /**
     * At most {@code limit} entries of the tenant, ordered by address and then stream (the entry of every stream
     * first), after {@code after} when given; only the stream's own entries when {@code stream} is given.
     */
    List<Suppression> page(TenantId tenant, Optional<String> stream, Optional<After> after, int limit);
}
