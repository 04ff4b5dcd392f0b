package dev.petrel.cli;

import dev.petrel.account.PasswordHasher;
import dev.petrel.account.User;
import dev.petrel.account.Users;
import dev.petrel.mail.Address;
import dev.petrel.smtp.Authenticator;
import java.util.Optional;

/** Checks SMTP AUTH credentials against the account store. Never logs what it is given. */
final class AccountAuthenticator implements Authenticator {

    // verified against when the user does not exist, so an unknown user takes as long as a wrong password
    private static final String DUMMY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3fRqCkCxvc0ChlDyIEPj9qvS3BZvKRmdNJ3cv/2gOQ4";

    private final Users users;

    AccountAuthenticator(Users users) {
        this.users = users;
    }

    @Override
    public Optional<String> verifyPassword(String username, String password) {
        Optional<User> user = find(username);
        if (user.isEmpty()) {
            PasswordHasher.verify(password, DUMMY_HASH);
            return Optional.empty();
        }
        return PasswordHasher.verify(password, user.get().passwordHash())
                ? Optional.of(user.get().address().toString()) : Optional.empty();
    }

    @Override
    public Optional<ScramCredential> scramCredential(String username) {
        return find(username).map(u -> new ScramCredential(u.address().toString(), u.scram().salt(),
                u.scram().iterations(), u.scram().storedKey(), u.scram().serverKey()));
    }

    private Optional<User> find(String username) {
        try {
            return users.user(Address.of(username));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
