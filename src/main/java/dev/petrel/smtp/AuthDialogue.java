package dev.petrel.smtp;

import dev.petrel.mail.EnhancedStatus;
import dev.petrel.mail.Reply;
import dev.petrel.mail.TemporaryFailure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One SASL exchange of AUTH (RFC 4954) with the PLAIN (RFC 4616), LOGIN and SCRAM-SHA-256 (RFC 5802,
 * RFC 7677) mechanisms. It sees base64 lines and answers with challenges, success or failure; the
 * session sends them. No secret leaves this class.
 */
final class AuthDialogue {

    static final String MECHANISMS = "PLAIN LOGIN SCRAM-SHA-256";

    sealed interface Step {
        record Challenge(String text) implements Step {}

        record Success(String username) implements Step {}

        record Failure(Reply reply) implements Step {}
    }

    /**
     * RFC 4954 6: the accounts could not be asked now (a store that cannot be reached): the client may try again
     * later; it is not counted as a wrong password.
     */
    static final Step.Failure TEMPORARY = new Step.Failure(
            Reply.of(454, EnhancedStatus.SECURITY_TRANSIENT, "Temporary authentication failure"));
    private static final Step.Failure BAD_CREDENTIALS = new Step.Failure(
            Reply.of(535, EnhancedStatus.AUTH_CREDENTIALS_INVALID, "Authentication credentials invalid"));
    private static final Step.Failure BAD_BASE64 = new Step.Failure(
            Reply.of(501, EnhancedStatus.SYNTAX_ERROR, "Invalid base64 data"));

    private enum Stage { PLAIN, LOGIN_USER, LOGIN_PASSWORD, SCRAM_FIRST, SCRAM_FINAL, SCRAM_DONE }

    private final Authenticator authenticator;
    private final RandomGenerator random;
    private Stage stage;
    private String username;
    private String scramGs2Header;
    private String scramClientFirstBare;
    private String scramServerFirst;
    private String scramNonce;
    private Authenticator.ScramCredential scram;

    private AuthDialogue(Authenticator authenticator, RandomGenerator random, Stage stage) {
        this.authenticator = authenticator;
        this.random = random;
        this.stage = stage;
    }

    /** Starts a dialogue, or refuses an unknown mechanism with 504 (RFC 4954 4). */
    static AuthDialogue start(String mechanism, Authenticator authenticator, RandomGenerator random) throws Refusal {
        Stage first = switch (mechanism) {
            case "PLAIN" -> Stage.PLAIN;
            case "LOGIN" -> Stage.LOGIN_USER;
            case "SCRAM-SHA-256" -> Stage.SCRAM_FIRST;
            default -> throw new Refusal(504, EnhancedStatus.INVALID_ARGUMENTS, "Unrecognized authentication type");
        };
        return new AuthDialogue(authenticator, random, first);
    }

    /** The first step: the initial response of the AUTH command, or null when it had none. */
    Step begin(String initialResponse) {
        if (initialResponse == null) {
            // RFC 4954 4: LOGIN asks for the user name; PLAIN and SCRAM send an empty challenge
            return new Step.Challenge(stage == Stage.LOGIN_USER ? encode("Username:") : "");
        }
        return respond(initialResponse);
    }

    /** The client's answer to the last challenge: a base64 line, or "*" to cancel. */
    Step respond(String line) {
        if (line.equals("*")) {
            // RFC 4954 4: a cancelled exchange gets 501
            return new Step.Failure(Reply.of(501, EnhancedStatus.SYNTAX_ERROR, "Authentication cancelled"));
        }
        byte[] decoded;
        try {
            // RFC 4954 4: "=" is an empty initial response
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            return BAD_BASE64;
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        return switch (stage) {
            case PLAIN -> plain(text);
            case LOGIN_USER -> loginUser(text);
            case LOGIN_PASSWORD -> verify(username, text);
            case SCRAM_FIRST -> scramFirst(text);
            case SCRAM_FINAL -> scramFinal(text);
            case SCRAM_DONE -> scram == null ? BAD_CREDENTIALS : new Step.Success(scram.username());
        };
    }

    // RFC 4616 2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
    private Step plain(String text) {
        String[] parts = text.split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return BAD_CREDENTIALS;
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            // acting for another identity is not supported
            return BAD_CREDENTIALS;
        }
        return verify(parts[1], parts[2]);
    }

    private Step loginUser(String text) {
        username = text;
        stage = Stage.LOGIN_PASSWORD;
        return new Step.Challenge(encode("Password:"));
    }

    private Step verify(String user, String password) {
        Optional<String> canonical;
        try {
            canonical = authenticator.verifyPassword(user, password);
        } catch (TemporaryFailure e) {
            return TEMPORARY;
        }
        return canonical.<Step>map(Step.Success::new).orElse(BAD_CREDENTIALS);
    }

    // RFC 5802 7: client-first-message = gs2-header client-first-message-bare
    private Step scramFirst(String text) {
        if (!(text.startsWith("n,") || text.startsWith("y,"))) {
            // "p=" asks for channel binding, which SCRAM-SHA-256 without -PLUS does not do
            return BAD_CREDENTIALS;
        }
        int second = text.indexOf(',', 2);
        if (second < 0) {
            return BAD_CREDENTIALS;
        }
        String authzid = text.substring(2, second);
        scramGs2Header = text.substring(0, second + 1);
        scramClientFirstBare = text.substring(second + 1);
        String user = attribute(scramClientFirstBare, "n");
        String clientNonce = attribute(scramClientFirstBare, "r");
        if (user == null || clientNonce == null || !scramClientFirstBare.startsWith("n=")) {
            return BAD_CREDENTIALS;
        }
        user = user.replace("=2C", ",").replace("=3D", "=");
        if (!authzid.isEmpty() && !authzid.equals("a=" + user)) {
            return BAD_CREDENTIALS;
        }
        try {
            scram = authenticator.scramCredential(user).orElse(null);
        } catch (TemporaryFailure e) {
            return TEMPORARY;
        }
        byte[] salt = scram != null ? scram.salt() : randomBytes(16);
        int iterations = scram != null ? scram.iterations() : 4096;
        scramNonce = clientNonce + Base64.getEncoder().withoutPadding().encodeToString(randomBytes(18));
        scramServerFirst = "r=" + scramNonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        stage = Stage.SCRAM_FINAL;
        return new Step.Challenge(encode(scramServerFirst));
    }

    // RFC 5802 3: ClientKey = ClientProof XOR ClientSignature; H(ClientKey) must equal StoredKey
    private Step scramFinal(String text) {
        int proofAt = text.lastIndexOf(",p=");
        String nonce = attribute(text, "r");
        if (proofAt < 0 || scram == null || !scramNonce.equals(nonce)) {
            return BAD_CREDENTIALS;
        }
        String withoutProof = text.substring(0, proofAt);
        // RFC 5802 7: c= is the base64 of the GS2 header the client sent first (no channel binding data)
        String binding = Base64.getEncoder().encodeToString(scramGs2Header.getBytes(StandardCharsets.UTF_8));
        if (!binding.equals(attribute(withoutProof, "c"))) {
            return BAD_CREDENTIALS;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return BAD_CREDENTIALS;
        }
        byte[] authMessage = (scramClientFirstBare + "," + scramServerFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = hmac(scram.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            return BAD_CREDENTIALS;
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(sha256(clientKey), scram.storedKey())) {
            return BAD_CREDENTIALS;
        }
        stage = Stage.SCRAM_DONE;
        byte[] serverSignature = hmac(scram.serverKey(), authMessage);
        return new Step.Challenge(encode("v=" + Base64.getEncoder().encodeToString(serverSignature)));
    }

    private static String attribute(String message, String name) {
        for (String part : message.split(",")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    private byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
