package dev.petrel.mail.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Multipart boundaries (RFC 2046 5.1.1): random, and checked against the parts they separate, for a boundary
 * must not occur in the encapsulated text. They start with "=_", which quoted-printable and base64 never
 * write, so a clash is possible only in 7bit text, and is then avoided by drawing again.
 */
final class Boundary {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int RANDOM_CHARACTERS = 28;

    private Boundary() {
    }

    static String unusedIn(List<byte[]> parts, RandomGenerator random) {
        while (true) {
            String candidate = "=_" + randomText(random, RANDOM_CHARACTERS);
            if (parts.stream().noneMatch(p -> contains(p, candidate.getBytes(StandardCharsets.US_ASCII)))) {
                return candidate;
            }
        }
    }

    static String randomText(RandomGenerator random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
