package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.util.List;
import java.util.Optional;

/** Each tenant's streams; a name is unique within its tenant. Reads see changes made by other processes. */
public interface Streams {

    Optional<Stream> stream(TenantId tenant, String name);

    /** The tenant's streams, by name. */
    List<Stream> streams(TenantId tenant);

    /** Adds the stream; false (and nothing changed) when the tenant has one of that name. */
    boolean add(Stream stream);

    /** Pauses or resumes the tenant's stream; false when it has none of that name. */
    boolean setPaused(TenantId tenant, String name, boolean paused);

    /** Sets the tenant's stream's limits; false when it has none of that name. */
    boolean setLimits(TenantId tenant, String name, Limits limits);

    /** Puts the tenant's stream in the sandbox or takes it out; false when it has none of that name. */
    boolean setSandbox(TenantId tenant, String name, boolean sandbox);
}
