package dev.petrel.account;

import dev.petrel.mail.Domain;
import java.util.List;
import java.util.Optional;

/**
 * Aliases: addresses (or a domain's catch-all) whose mail goes on to other addresses. Local parts are found
 * without regard to case. Reads see changes made by other processes; each write is atomic. A store that cannot
 * be reached throws an unchecked exception.
 */
public interface Aliases {

    /** The alias for {@code localPart@domain}, or with a null local part the domain's catch-all. */
    Optional<Alias> alias(String localPart, Domain domain);

    /** Every alias, in the order they were first added. */
    List<Alias> aliases();

    /** Adds the targets to the alias of that source (keeping its targets and their order), creating it when there is none. */
    Alias add(Alias alias);

    /** Removes the whole alias; false when there was none. */
    boolean remove(String localPart, Domain domain);
}
