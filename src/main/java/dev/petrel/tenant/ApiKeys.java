package dev.petrel.tenant;

import dev.petrel.mail.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * The API keys: public ids, tenants, streams and a hash of each whole key, never a key itself. Reads see changes
 * made by other processes and nothing is cached, so a revoked key stops working at once on a running server.
 */
public interface ApiKeys {

    /** A stored key with the hash its secret must match. */
    record Hashed(ApiKey key, byte[] hash) {}

    /** Stores a new key; false (and nothing stored) when its id is taken. */
    boolean add(ApiKey key, byte[] hash);

    /** The tenant's keys, oldest first. */
    List<ApiKey> keys(TenantId tenant);

    /** The tenant's key of this id; empty when it has none (also when another tenant has one). */
    Optional<ApiKey> key(TenantId tenant, String id);

    /**
     * The key of this public id with its hash, whichever tenant has it: presenting a key is how a client says
     * which tenant it is, so this is the one read not limited to a tenant.
     */
    Optional<Hashed> find(String id);

    /** Removes the tenant's key of this id; false when it has none. */
    boolean revoke(TenantId tenant, String id);
}
