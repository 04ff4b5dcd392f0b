package dev.petrel.account;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A user who may authenticate and send, and whose address receives mail when its domain is local.
 *
 * @param passwordHash an Argon2id PHC string
 * @param scram the SCRAM-SHA-256 secrets of the same password
 * @param sendingDomains the domains this user may use in MAIL FROM; its own domain at least
 * @param quota the most octets its mailbox may hold, or {@link #NO_QUOTA}
 */
public record User(Address address, String passwordHash, ScramSecret scram, Set<Domain> sendingDomains, long quota) {

    /** A mailbox without a size limit (the default). */
    public static final long NO_QUOTA = 0;

    public User {
        sendingDomains = Set.copyOf(sendingDomains);
        if (quota < 0) {
            throw new IllegalArgumentException("negative quota: " + quota);
        }
    }

    public User(Address address, String passwordHash, ScramSecret scram, Set<Domain> sendingDomains) {
        this(address, passwordHash, scram, sendingDomains, NO_QUOTA);
    }

    /**
     * A user of that address who may send from its own domain, with the Argon2id hash and the SCRAM-SHA-256
     * secrets of the password (the password itself is not kept). Stores keep the hashes they are given.
     */
    public static User withPassword(Address address, String password, RandomGenerator random) {
        return new User(address, new PasswordHasher(random).hash(password), ScramSecret.derive(password, random),
                Set.of(address.domain()));
    }

    public boolean maySendFrom(Address sender) {
        return sendingDomains.contains(sender.domain());
    }

    public boolean hasQuota() {
        return quota != NO_QUOTA;
    }

    public User withQuota(long octets) {
        return new User(address, passwordHash, scram, sendingDomains, octets);
    }

    @Override
    public String toString() {
        // never print the secrets
        return "User[" + address + "]";
    }
}
