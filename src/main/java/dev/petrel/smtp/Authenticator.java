package dev.petrel.smtp;

import java.util.Optional;

/** What the AUTH dialogue asks of the account store. Implementations must not log what they are given. */
public interface Authenticator {

    /** The canonical user name when the password is right for it. */
    Optional<String> verifyPassword(String username, String password);

    /** The SCRAM-SHA-256 secrets of a user (RFC 5802 3), when it has them. */
    Optional<ScramCredential> scramCredential(String username);

    /** RFC 5802 3: StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key"). */
    record ScramCredential(String username, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {}
}
