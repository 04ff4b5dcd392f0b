package dev.petrel.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM-SHA-256 secrets of a password (RFC 5802 3, RFC 7677): what the server keeps so that it can check
 * a SCRAM exchange without knowing the password. They are a salted, iterated hash themselves.
 */
public record ScramSecret(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    // RFC 7677 4: at least 4096 iterations
    public static final int ITERATIONS = 4096;

    public static ScramSecret derive(String password, RandomGenerator random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return derive(password, salt, ITERATIONS);
    }

    public static ScramSecret derive(String password, byte[] salt, int iterations) {
        try {
            // SaltedPassword = Hi(Normalize(password), salt, i), Hi being PBKDF2 with HMAC-SHA-256
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = factory.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            return new ScramSecret(salt, iterations, storedKey, serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
