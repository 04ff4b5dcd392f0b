package dev.petrel.account;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ScramSecretTest {

    // RFC 7677 3: the SCRAM-SHA-256 example exchange
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String AUTH_MESSAGE = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
            + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String CLIENT_PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_SIGNATURE = "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSecretsOfPencilCheckTheProofOfRfc7677() throws Exception {
        ScramSecret secret = ScramSecret.derive("pencil", SALT, 4096);
        // RFC 5802 3, the server's side: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) = StoredKey
        byte[] proof = Base64.getDecoder().decode(CLIENT_PROOF);
        byte[] clientSignature = hmac(secret.storedKey(), AUTH_MESSAGE);
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        assertArrayEquals(secret.storedKey(), MessageDigest.getInstance("SHA-256").digest(clientKey));
    }

    @Test
    void theSecretsOfPencilGiveTheServerSignatureOfRfc7677() throws Exception {
        ScramSecret secret = ScramSecret.derive("pencil", SALT, 4096);
        assertEquals(SERVER_SIGNATURE, Base64.getEncoder().encodeToString(hmac(secret.serverKey(), AUTH_MESSAGE)));
    }

    @Test
    void anotherPasswordGivesOtherSecrets() throws Exception {
        ScramSecret pencil = ScramSecret.derive("pencil", SALT, 4096);
        ScramSecret pen = ScramSecret.derive("pen", SALT, 4096);
        assertFalse(Arrays.equals(pencil.storedKey(), pen.storedKey()));
        assertFalse(Arrays.equals(pencil.serverKey(), pen.serverKey()));
        assertFalse(SERVER_SIGNATURE.equals(Base64.getEncoder().encodeToString(hmac(pen.serverKey(), AUTH_MESSAGE))));
    }

    @Test
    void aFreshSecretHasSixteenRandomOctetsOfSaltAnd4096Iterations() {
        ScramSecret first = ScramSecret.derive("pencil", new Random(1));
        ScramSecret second = ScramSecret.derive("pencil", new Random(2));
        assertEquals(16, first.salt().length);
        assertEquals(4096, first.iterations());
        assertFalse(Arrays.equals(first.salt(), second.salt()));
        assertFalse(Arrays.equals(first.storedKey(), second.storedKey()));
        // the same salt gives the same secrets
        assertArrayEquals(first.storedKey(), ScramSecret.derive("pencil", first.salt(), 4096).storedKey());
    }
}
