package dev.petrel.compliance;

import dev.petrel.mail.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Where the CASL consent ledger is kept: records added, never changed or removed, and the broadcast messages that
 * relied on them. Every method takes the tenant, and reads only its rows.
 */
public interface Consents {

    /**
     * Writes the record and returns it with its id. With a {@code reference} (the event an unsubscribe came from)
     * a second record of that reference is not written: the first is returned.
     */
    Consent add(Consent record, Optional<String> reference);

    /** The tenant's records of one recipient ({@link Consent#key}), oldest written first. */
    List<Consent> records(TenantId tenant, String recipient);

    /** All the tenant's records, oldest written first. */
    List<Consent> records(TenantId tenant);

    /** Writes that broadcast messages were sent relying on these records (a message written twice is kept once). */
    void used(TenantId tenant, List<ConsentUse> uses);

    /** The tenant's broadcast messages with the consent each relied on, of one recipient or (empty) all, in order. */
    List<ConsentUse> uses(TenantId tenant, Optional<String> recipient);
}
