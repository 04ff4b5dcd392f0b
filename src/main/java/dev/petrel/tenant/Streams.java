package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each tenant's streams; a name is unique within its tenant. Reads see changes made by other processes. */
public interface Streams {

    Optional<Stream> stream(TenantId tenant, String name);

    /** The tenant's streams, by name. */
    List<Stream> streams(TenantId tenant);

    /** Adds the stream; false (and nothing changed) when the tenant has one of that name. */
    boolean add(Stream stream);

    /**
     * Pauses or resumes the tenant's stream, as an operator does: a pause without a reason; a resume forgets any
     * reason. False when it has none of that name.
     */
    boolean setPaused(TenantId tenant, String name, boolean paused);

    /**
     * Pauses the tenant's stream for its reputation, with the reason; only a stream that runs: false when it is
     * paused already (by anyone) or there is none of that name, so that one pause is reported once.
     */
    boolean pause(TenantId tenant, String name, Stream.Pause pause);

    /** Resumes the tenant's stream (forgetting why it was paused), noting when; false when it has none of that name. */
    boolean resume(TenantId tenant, String name, Instant at);

    /** Sets the tenant's stream's limits; false when it has none of that name. */
    boolean setLimits(TenantId tenant, String name, Limits limits);

    /** Puts the tenant's stream in the sandbox or takes it out; false when it has none of that name. */
    boolean setSandbox(TenantId tenant, String name, boolean sandbox);
}
