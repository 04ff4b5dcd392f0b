package dev.petrel.cli;

import dev.petrel.smtp.Authenticator;
import dev.petrel.tenant.ApiKey;
import dev.petrel.tenant.Tenancy;
import java.util.Optional;

/**
 * SMTP AUTH with an API key: user {@code apikey} and the key as the password (PLAIN or LOGIN; there are no SCRAM
 * secrets for a key) authenticates as {@code apikey:<id>}, read from the store each time so that a revoked key
 * fails at once. Any other user name goes to the account store. Never logs what it is given.
 */
final class KeyAuthenticator implements Authenticator {

    private final Tenancy tenancy;
    private final Authenticator accounts;

    KeyAuthenticator(Tenancy tenancy, Authenticator accounts) {
        this.tenancy = tenancy;
        this.accounts = accounts;
    }

    @Override
    public Optional<String> verifyPassword(String username, String password) {
        if (ApiKey.SMTP_USER.equalsIgnoreCase(username)) {
            return tenancy.verifyKey(password).map(ApiKey::identity);
        }
        return accounts.verifyPassword(username, password);
    }

    @Override
    public Optional<ScramCredential> scramCredential(String username) {
        return ApiKey.SMTP_USER.equalsIgnoreCase(username) ? Optional.empty() : accounts.scramCredential(username);
    }
}
