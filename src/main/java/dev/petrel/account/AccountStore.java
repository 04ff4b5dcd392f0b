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

    default boolean isLocal(Domain name) {
        return domain(name).map(DomainEntry::local).orElse(false);
    }
}
