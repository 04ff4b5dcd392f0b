package dev.petrel.account;

import dev.petrel.mail.Domain;
import java.util.List;
import java.util.Optional;

/**
 * The domains Petrel knows: local ones receive mail into mailboxes, the others are sending domains of their
 * users. Reads see changes made by other processes; each write is atomic. A store that cannot be reached throws
 * an unchecked exception.
 */
public interface Domains {

    Optional<DomainEntry> domain(Domain name);

    /** Every domain, in the order they were added. */
    List<DomainEntry> domains();

    /** Adds the domain when it is not there yet; false (and nothing changed) when it is. */
    boolean add(DomainEntry domain);

    /** Makes an existing domain local or a sending domain; false when there is no such domain. */
    boolean setLocal(Domain name, boolean local);

    /** False when there was no such domain. */
    boolean remove(Domain name);

    default boolean isLocal(Domain name) {
        return domain(name).map(DomainEntry::local).orElse(false);
    }
}
