package dev.petrel.account;

import dev.petrel.mail.Address;
import dev.petrel.mail.Domain;
import java.util.Set;

/**
 * A user who may authenticate and send, and whose address receives mail when its domain is local.
 *
 * @param passwordHash an Argon2id PHC string
 * @param scram the SCRAM-SHA-256 secrets of the same password
 * @param sendingDomains the domains this user may use in MAIL FROM; its own domain at least
 */
public record User(Address address, String passwordHash, ScramSecret scram, Set<Domain> sendingDomains) {

    public User {
        sendingDomains = Set.copyOf(sendingDomains);
    }

    public boolean maySendFrom(Address sender) {
        return sendingDomains.contains(sender.domain());
    }

    @Override
    public String toString() {
        // never print the secrets
        return "User[" + address + "]";
    }
}
