package dev.petrel.account;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Users and domains. Reads see changes made by other processes (the command line while a server runs);
 * writes are atomic.
 */
public interface AccountStore {

    Optional<User> user(Address address);

    List<User> users();

    /** Adds a user with the given password (hashed here; the password is not kept). */
    User addUser(Address address, String password) throws IOException;

    boolean removeUser(Address address) throws IOException;

    Optional<DomainEntry> domain(Domain name);

    List<DomainEntry> domains();

    DomainEntry addDomain(Domain name, boolean local) throws IOException;

    boolean removeDomain(Domain name) throws IOException;

    /** Sets the most octets the user's mailbox may hold ({@link User#NO_QUOTA} for none); false when no such user. */
    boolean setQuota(Address address, long octets) throws IOException;

    /** The alias for {@code localPart@domain}, or with a null local part the domain's catch-all. */
    Optional<Alias> alias(String localPart, Domain domain);

    List<Alias> aliases();

    /** Adds the targets to the alias of that source, creating it when there is none. */
    Alias addAlias(Alias alias) throws IOException;

    /** Removes the whole alias; false when there was none. */
    boolean removeAlias(String localPart, Domain domain) throws IOException;

    /** The domain's DKIM keys, active or not. */
    List<DkimKeyEntry> dkimKeys(Domain domain);

    /**
     * Stores a key under its domain and selector (replacing one of the same selector); when it is active, the
     * domain's other keys of its type stop being active.
     */
    void addDkimKey(DkimKeyEntry key) throws IOException;

    default boolean isLocal(Domain name) {
        return domain(name).map(DomainEntry::local).orElse(false);
    }
}
