package dev.petrel.intake;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the header section of a message (RFC 5322 2.2): which fields it has and where it ends. Only field
 * names are looked at, so malformed or 8-bit headers never stop a message.
 */
final class HeaderBlock {

    private HeaderBlock() {}

    /** True when a field of that name (case-insensitive) is in the header section. */
    static boolean has(byte[] message, String name) {
        return count(message, name) > 0;
    }

    /** How many fields of that name are in the header section. */
    static int count(byte[] message, String name) {
        byte[] wanted = (name.toLowerCase(Locale.ROOT) + ":").getBytes(StandardCharsets.US_ASCII);
        int found = 0;
        int i = 0;
        while (i < message.length) {
            if (message[i] == '\r' || message[i] == '\n') {
                // an empty line ends the header section
                return found;
            }
            if (startsWithIgnoreCase(message, i, wanted)) {
                found++;
            }
            i = nextLine(message, i);
        }
        return found;
    }

    private static int nextLine(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == '\n') {
                return i + 1;
            }
        }
        return message.length;
    }

    private static boolean startsWithIgnoreCase(byte[] message, int at, byte[] wanted) {
        if (at + wanted.length > message.length) {
            return false;
        }
        for (int j = 0; j < wanted.length; j++) {
            byte b = message[at + j];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != wanted[j]) {
                return false;
            }
        }
        return true;
    }
}
