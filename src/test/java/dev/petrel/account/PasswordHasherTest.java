package dev.petrel.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    // Argon2id at OWASP's cost takes a while: one hash serves several tests
    private static final String PASSWORD = "correct horse battery staple";
    private static final String PHC = new PasswordHasher(new Random(11)).hash(PASSWORD);

    @Test
    void hashesAreArgon2idPhcStringsWithOwaspCost() {
        // 16 octets of salt and 32 of hash, in base64 without padding
        assertTrue(PHC.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), PHC);
        assertFalse(PHC.contains("correct horse"));
    }

    @Test
    void theRightPasswordVerifiesAndOthersDoNot() {
        assertTrue(PasswordHasher.verify(PASSWORD, PHC));
        assertFalse(PasswordHasher.verify("Correct horse battery staple", PHC));
        assertFalse(PasswordHasher.verify("", PHC));
    }

    @Test
    void twoHashesOfOnePasswordDiffer() {
        String second = new PasswordHasher(new Random(12)).hash(PASSWORD);
        assertNotEquals(PHC, second);
        assertTrue(PasswordHasher.verify(PASSWORD, second));
    }

    @Test
    void nonAsciiPasswordsWork() {
        String phc = new PasswordHasher(new Random(13)).hash("pässwörd 🔑");
        assertTrue(PasswordHasher.verify("pässwörd 🔑", phc));
        assertFalse(PasswordHasher.verify("passwort 🔑", phc));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            # test vectors of the reference implementation (phc-winner-argon2 src/test.c): other costs verify too
            password | $argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4
            password | $argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc
            """)
    void hashesMadeElsewhereVerify(String password, String phc) {
        assertTrue(PasswordHasher.verify(password, phc));
        assertFalse(PasswordHasher.verify(password + "x", phc));
    }

    @Test
    void theReferenceVectorAtHigherCostVerifies() {
        // 64 MiB: one computation only
        assertTrue(PasswordHasher.verify("password",
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // not an Argon2id PHC string
            "", "secret", "$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
            "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ",
            // damaged parameters or base64: never verifies, never throws
            "$argon2id$v=19$m=abc,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,x=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29t!!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$***",
            "$argon2id$v=19$m=0,t=0,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$,$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=65536,,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    })
    void storedStringsThatAreNotValidHashesNeverVerify(String phc) {
        assertFalse(PasswordHasher.verify("password", phc));
    }
}
