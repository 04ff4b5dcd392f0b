package dev.petrel.smtp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 3 and 5, RFC 7677), written from the RFC for the tests alone, so
 * that the server's side is checked against an independent implementation.
 */
final class ScramClient {

    private final String username;
    private final String password;
    private final String clientNonce;
    private String gs2Header;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    ScramClient(String username, String password, String clientNonce) {
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    /** RFC 5802 7: gs2-header "n,," (no channel binding, no authzid), then n= and r=. */
    String clientFirst() {
        return clientFirst("n,,");
    }

    String clientFirst(String gs2Header) {
        this.gs2Header = gs2Header;
        clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return gs2Header + clientFirstBare;
    }

    /** The client-final-message for the server-first-message: c= (the gs2 header in base64), r=, and the proof p=. */
    String clientFinal(String serverFirst) {
        Map<String, String> attributes = attributes(serverFirst);
        String nonce = attributes.get("r");
        if (!nonce.startsWith(clientNonce)) {
            throw new IllegalStateException("server nonce does not extend the client's");
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
        int iterations = Integer.parseInt(attributes.get("i"));
        String channelBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        String withoutProof = "c=" + channelBinding + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] saltedPassword = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = sha256(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.UTF_8));
        expectedServerSignature = hmac(serverKey, authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** RFC 5802 3: the client authenticates the server by its signature in server-final-message. */
    boolean serverFinalIsGenuine(String serverFinal) {
        String v = attributes(serverFinal).get("v");
        return v != null && MessageDigest.isEqual(expectedServerSignature, Base64.getDecoder().decode(v));
    }

    /** What the server stores for a password (RFC 5802 3): the salt, iterations, StoredKey and ServerKey. */
    static Authenticator.ScramCredential credential(String username, String password, byte[] salt, int iterations) {
        byte[] saltedPassword = saltedPassword(password, salt, iterations);
        byte[] storedKey = sha256(hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.UTF_8)));
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.UTF_8));
        return new Authenticator.ScramCredential(username, salt, iterations, storedKey, serverKey);
    }

    static Map<String, String> attributes(String message) {
        Map<String, String> out = new HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                out.put(part.substring(0, 1), part.substring(2));
            }
        }
        return out;
    }

    // RFC 5802 2.2: Hi(str, salt, i) is PBKDF2 with HMAC as the pseudorandom function
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
