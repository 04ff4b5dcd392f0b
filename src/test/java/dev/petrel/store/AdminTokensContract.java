package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.AdminTokenSecrets;
import dev.petrel.account.AdminTokens;
import dev.petrel.account.Directory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every admin token store does, and the directory's tokens on it: hashes kept, tokens never. */
abstract class AdminTokensContract {

    private Stores stores;

    protected abstract Stores open() throws Exception;

    @BeforeEach
    final void openStore() throws Exception {
        stores = open();
    }

    @AfterEach
    final void closeStore() {
        stores.close();
    }

    private Directory directory() {
        return new Directory(stores.users(), stores.domains(), stores.aliases(), stores.dkimKeys(), null,
                stores.adminTokens(), Clock.systemUTC(), new SecureRandom());
    }

    @Test
    void aTokenIsStoredAsItsHashUnderItsIdAndName() {
        AdminTokens tokens = stores.adminTokens();
        AdminTokens.AdminToken t = new AdminTokens.AdminToken("abcdefgh", "ops", Instant.ofEpochMilli(1_000));
        byte[] hash = AdminTokenSecrets.hash("pat_abcdefgh_x");
        assertTrue(tokens.add(t, hash));
        assertEquals(List.of(t), tokens.tokens());
        assertArrayEquals(hash, tokens.hash("abcdefgh").orElseThrow());
        assertFalse(tokens.add(new AdminTokens.AdminToken("zzzzzzzz", "ops", Instant.EPOCH), hash), "names are unique");
        assertTrue(tokens.revoke("ops"));
        assertTrue(tokens.tokens().isEmpty());
        assertFalse(tokens.revoke("abcdefgh"));
    }

    @Test
    void theDirectoryVerifiesItsTokensUntilTheyAreRevoked() {
        Directory directory = directory();
        Directory.IssuedToken issued = directory.createToken("ci-bot");
        assertTrue(issued.secret().startsWith("pat_" + issued.token().id() + "_"));
        assertEquals("ci-bot", directory.verifyToken(issued.secret()).orElseThrow().name());
        String wrong = issued.secret().substring(0, issued.secret().length() - 1)
                + (issued.secret().endsWith("A") ? "B" : "A");
        assertTrue(directory.verifyToken(wrong).isEmpty(), "one character off");
        assertTrue(directory.verifyToken("not a token").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> directory.createToken("ci-bot"), "a name in use");
        assertThrows(IllegalArgumentException.class, () -> directory.createToken("has space"));
        assertTrue(directory.revokeToken(issued.token().id()));
        assertTrue(directory.verifyToken(issued.secret()).isEmpty());
    }
}
