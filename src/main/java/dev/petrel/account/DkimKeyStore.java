package dev.petrel.account;

import dev.petrel.mail.Domain;
import java.util.List;

/**
 * The DKIM keys Petrel keeps, private keys included, per domain and selector. The signer reads the active ones
 * through {@code mailauth.DkimKeys}, which the command line builds on this store. A store that cannot be reached
 * throws an unchecked exception.
 */
public interface DkimKeyStore {

    /** The domain's keys, active or not, in the order they were stored. */
    List<DkimKeyEntry> keys(Domain domain);

    /** Every key of every domain, by domain and then in the order they were stored. */
    List<DkimKeyEntry> keys();

    /**
     * Stores a key under its domain and selector (replacing one of the same selector); when it is active, the
     * domain's other keys of its type stop being active.
     */
    void add(DkimKeyEntry key);
}
