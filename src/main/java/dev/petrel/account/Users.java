package dev.petrel.account;

import dev.petrel.mail.Address;
import java.util.List;
import java.util.Optional;

/**
 * The users who may authenticate and send, and whose addresses receive mail in local domains. Local parts are
 * found without regard to case: {@code Alice@example.com} and {@code alice@example.com} are one user. Reads see
 * changes made by other processes (the command line while a server runs); each write is atomic. A store that
 * cannot be reached throws an unchecked exception.
 */
public interface Users {

    Optional<User> user(Address address);

    /** Every user, in the order they were first added. */
    List<User> users();

    /**
     * Adds the user, or gives the existing user of that address the new one's address spelling, credentials and
     * sending domains; an existing user's quota stays. The store keeps the hashes it is given (see
     * {@link User#withPassword}).
     *
     * @return the user as stored
     */
    User add(User user);

    /** False when there was no such user. */
    boolean remove(Address address);

    /** Sets the most octets the user's mailbox may hold ({@link User#NO_QUOTA} for none); false when no such user. */
    boolean setQuota(Address address, long octets);
}
