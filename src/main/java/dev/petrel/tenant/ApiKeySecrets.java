package dev.petrel.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys as text: {@code pk_<id>_<secret>}, where the id (8 characters) is public and names the key in
 * lists and logs, and the secret is 256 random bits. The store keeps a SHA-256 hash of the whole key: a slow
 * hash protects guessable passwords, and a 256-bit random secret cannot be guessed, so a fast one is enough.
 */
public final class ApiKeySecrets {

    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final Pattern FORM = Pattern.compile("pk_([a-z2-9]{8})_[A-Za-z0-9_-]{43}");

    private ApiKeySecrets() {}

    /** A new key; {@code random} must be a secure generator. */
    public static String create(RandomGenerator random) {
        StringBuilder id = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return "pk_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The public id of a key in the right form, or empty for anything else. */
    public static Optional<String> id(String key) {
        Matcher m = FORM.matcher(key == null ? "" : key);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Whether {@code key} is the one whose hash was stored, compared in constant time. */
    public static boolean matches(String key, byte[] storedHash) {
        return MessageDigest.isEqual(hash(key), storedHash);
    }
}
