package dev.petrel.mail.mime;

import dev.petrel.mail.Address;

/**
 * A mailbox as a header shows it (RFC 5322 3.4): an address and an optional display name.
 *
 * @param address the address, with an ASCII local part (a UTF-8 local part would need SMTPUTF8, RFC 6531)
 * @param displayName the name to show, empty when there is none; any Unicode text without line breaks
 */
public record Mailbox(Address address, String displayName) {

    public Mailbox {
        if (address == null) {
            throw new IllegalArgumentException("no address");
        }
        displayName = displayName == null ? "" : displayName;
    }

    public static Mailbox of(Address address) {
        return new Mailbox(address, "");
    }

    /** Parses one mailbox, as {@code Name <a@b.example>} or {@code a@b.example} (RFC 5322 3.4). */
    public static Mailbox parse(String text) {
        java.util.List<Mailbox> all = AddressList.parse(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one mailbox, found " + all.size());
        }
        return all.get(0);
    }
}
