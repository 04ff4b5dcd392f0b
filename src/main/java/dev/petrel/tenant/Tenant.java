package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.time.Instant;

/**
 * A tenant as stored.
 *
 * @param identification the sender identification CASL asks of commercial mail (name, postal address, contact);
 *                       empty until set
 * @param limits what the tenant may send in all, whatever the stream
 */
public record Tenant(TenantId id, String identification, Limits limits, Instant created) {

    public Tenant {
        identification = identification == null ? "" : identification;
        limits = limits == null ? Limits.NONE : limits;
    }

    /** A tenant without limits. */
    public Tenant(TenantId id, String identification, Instant created) {
        this(id, identification, Limits.NONE, created);
    }
}
