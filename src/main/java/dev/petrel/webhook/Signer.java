package dev.petrel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: the secret is {@code whsec_} and the base64 of the key; a delivery carries
 * {@code webhook-id}, {@code webhook-timestamp} (unix seconds) and {@code webhook-signature: v1,SIG}, where SIG is
 * the base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body). A signer keeps its MAC: one per thread.
 */
public final class Signer {

    public static final String PREFIX = "whsec_";
    /** Key bytes of a new secret: the spec asks for between 24 and 64. */
    static final int KEY_BYTES = 32;

    private final Mac mac;

    /** A signer with the key of a {@code whsec_} secret. */
    public Signer(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        SecretKeySpec key = new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256");
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** A new secret from the generator, which must be a secure one ({@code SecureRandom}). */
    public static String newSecret(RandomGenerator secure) {
        byte[] bytes = new byte[KEY_BYTES];
        secure.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The {@code webhook-signature} value of a delivery. Not thread-safe: one signer per thread. */
    public String sign(String id, long timestamp, String body) {
        byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(sig);
    }
}
