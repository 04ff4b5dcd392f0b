package dev.petrel.mail;

import java.util.Optional;

/**
 * The reverse path of MAIL FROM (RFC 5321 4.1.1.2): a mailbox, or the null path {@code <>} used by
 * delivery status notifications, to which nothing is ever returned.
 */
public record ReversePath(Address address) {

    public static final ReversePath NULL = new ReversePath(null);

    public static ReversePath of(Address address) {
        return new ReversePath(address);
    }

    public boolean isNull() {
        return address == null;
    }

    public Optional<Address> mailbox() {
        return Optional.ofNullable(address);
    }

    @Override
    public String toString() {
        return address == null ? "" : address.toString();
    }
}
