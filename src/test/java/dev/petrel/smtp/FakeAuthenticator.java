package dev.petrel.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Users and passwords in memory; user names are matched without regard to case, as addresses are. */
final class FakeAuthenticator implements Authenticator {

    private final Map<String, String> passwords = new LinkedHashMap<>();
    final List<String> askedFor = new ArrayList<>();
    /** The accounts cannot be asked now: every question throws, as a store that cannot be reached does. */
    boolean away;

    FakeAuthenticator with(String username, String password) {
        passwords.put(username.toLowerCase(Locale.ROOT), password);
        return this;
    }

    @Override
    public Optional<String> verifyPassword(String username, String password) {
        askedFor.add(username);
        if (away) {
            throw new dev.petrel.mail.TemporaryFailure("the account store cannot be reached");
        }
        String key = username.toLowerCase(Locale.ROOT);
        return password.equals(passwords.get(key)) ? Optional.of(key) : Optional.empty();
    }

    @Override
    public Optional<ScramCredential> scramCredential(String username) {
        askedFor.add(username);
        if (away) {
            throw new dev.petrel.mail.TemporaryFailure("the account store cannot be reached");
        }
        String key = username.toLowerCase(Locale.ROOT);
        String password = passwords.get(key);
        if (password == null) {
            return Optional.empty();
        }
        byte[] salt = ("salt of " + key).getBytes(StandardCharsets.UTF_8);
        return Optional.of(ScramClient.credential(key, password, salt, 4096));
    }
}
