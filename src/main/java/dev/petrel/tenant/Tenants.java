package dev.petrel.tenant;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import dev.petrel.mail.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * The tenants, and which of them each domain and user belongs to (a domain or user not given to one belongs to
 * {@code default}). Reads see changes made by other processes; each write is atomic.
 */
public interface Tenants {

    Optional<Tenant> tenant(TenantId id);

    /** Every tenant: default first, then oldest first. */
    List<Tenant> tenants();

    /** Adds the tenant; false (and nothing changed) when one of that name exists. */
    boolean add(Tenant tenant);

    /** False when there is no such tenant. */
    boolean setIdentification(TenantId id, String identification);

    /** Sets the tenant's limits; false when there is no such tenant. */
    boolean setLimits(TenantId id, Limits limits);

    /** Removes the tenant and its streams; false when there is none. Callers check what else it still owns. */
    boolean remove(TenantId id);

    /** The tenant's domains, in the order they were added. */
    List<Domain> domains(TenantId id);

    /** The tenant's users, in the order they were added. */
    List<Address> users(TenantId id);

    /** Gives an existing domain to the tenant; false when there is no such domain. */
    boolean assignDomain(TenantId id, Domain domain);

    /** Gives an existing user to the tenant; false when there is no such user. */
    boolean assignUser(TenantId id, Address user);

    /** The tenant a domain belongs to; empty when there is no such domain. */
    Optional<TenantId> tenantOf(Domain domain);

    /** The tenant a user belongs to; empty when there is no such user. */
    Optional<TenantId> tenantOf(Address user);
}
