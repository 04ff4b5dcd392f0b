package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.time.Instant;

/**
 * A tenant as stored.
 *
 * @param identification the sender identification CASL asks of commercial mail (name, postal address, contact);
 *                       empty until set
 */
public record Tenant(TenantId id, String identification, Instant created) {

    public Tenant {
        identification = identification == null ? "" : identification;
    }
}
