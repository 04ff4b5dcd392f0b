package dev.petrel.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.petrel.account.DkimKeyEntry;
import dev.petrel.account.DkimKeyStore;
import dev.petrel.mail.Domain;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link DkimKeyStore} does, whatever keeps it. */
abstract class DkimKeyStoreContract extends StoreContract {

    private static final Domain EXAMPLE = Domain.parse("example.com");
    private static final Domain OTHER = Domain.parse("other.test");

    private DkimKeyStore keys() {
        return store.dkimKeys();
    }

    private static List<String> states(List<DkimKeyEntry> keys) {
        return keys.stream().map(k -> k.domain() + " " + k.selector() + " " + k.active()).toList();
    }

    @Test
    void aKeyIsKeptWithItsPrivateKeyAndType() {
        byte[] pkcs8 = new byte[1218];
        for (int i = 0; i < pkcs8.length; i++) {
            pkcs8[i] = (byte) i;
        }
        keys().add(new DkimKeyEntry(EXAMPLE, "rsa202611", "rsa", pkcs8, true));
        DkimKeyEntry stored = keys().keys(EXAMPLE).getFirst();
        assertEquals(new DkimKeyEntry(EXAMPLE, "rsa202611", "rsa", pkcs8, true), stored);
        assertArrayEquals(pkcs8, stored.pkcs8());
        assertTrue(keys().keys(OTHER).isEmpty());
    }

    @Test
    void aNewActiveKeyReplacesTheActiveOneOfItsTypeInItsDomainOnly() {
        keys().add(new DkimKeyEntry(EXAMPLE, "rsa1", "rsa", new byte[] {1, 2}, true));
        keys().add(new DkimKeyEntry(EXAMPLE, "ed1", "ed25519", new byte[] {3}, true));
        keys().add(new DkimKeyEntry(OTHER, "rsa1", "rsa", new byte[] {5}, true));
        keys().add(new DkimKeyEntry(EXAMPLE, "rsa2", "rsa", new byte[] {4}, true));
        assertEquals(List.of("example.com rsa1 false", "example.com ed1 true", "example.com rsa2 true"),
                states(keys().keys(EXAMPLE)));
        assertTrue(keys().keys(OTHER).getFirst().active(), "other domains keep theirs");
        // an inactive key changes no other
        keys().add(new DkimKeyEntry(EXAMPLE, "rsa0", "rsa", new byte[] {6}, false));
        assertEquals(List.of("example.com rsa1 false", "example.com ed1 true", "example.com rsa2 true",
                "example.com rsa0 false"), states(keys().keys(EXAMPLE)));
    }

    @Test
    void aKeyUnderASelectorInUseReplacesTheOldOne() {
        keys().add(new DkimKeyEntry(EXAMPLE, "s1", "rsa", new byte[] {1}, true));
        keys().add(new DkimKeyEntry(EXAMPLE, "s2", "ed25519", new byte[] {2}, true));
        keys().add(new DkimKeyEntry(EXAMPLE, "s1", "rsa", new byte[] {9}, false));
        assertEquals(List.of("example.com s2 true", "example.com s1 false"), states(keys().keys(EXAMPLE)));
        assertArrayEquals(new byte[] {9}, keys().keys(EXAMPLE).get(1).pkcs8());
    }

    @Test
    void everyKeyIsListedByDomain() throws Exception {
        keys().add(new DkimKeyEntry(OTHER, "a", "rsa", new byte[] {1}, true));
        keys().add(new DkimKeyEntry(EXAMPLE, "b", "rsa", new byte[] {2}, true));
        keys().add(new DkimKeyEntry(EXAMPLE, "c", "ed25519", new byte[] {3}, true));
        assertEquals(List.of("example.com b true", "example.com c true", "other.test a true"),
                states(another().dkimKeys().keys()));
    }
}
