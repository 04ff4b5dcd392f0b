package dev.petrel.intake;

import dev.petrel.mail.HeaderSection;

/**
 * The questions {@link Intake} asks of a message's header section: which fields it has, and how many of a name.
 * {@link HeaderSection} reads the section; only field names are looked at, so malformed or 8-bit headers never stop
 * a message.
 */
final class HeaderBlock {

    private HeaderBlock() {}

    /** True when a field of that name (case-insensitive) is in the header section. */
    static boolean has(byte[] message, String name) {
        return HeaderSection.read(message).has(name);
    }

    /** How many fields of that name are in the header section. */
    static int count(byte[] message, String name) {
        return HeaderSection.read(message).count(name);
    }
}
